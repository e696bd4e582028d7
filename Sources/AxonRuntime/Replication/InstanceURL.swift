import AxonConfig
import Foundation

extension InstanceLocation {
    /// The base URL of the process's replication listener, as AsyncHTTPClient takes it.
    var baseURL: String {
        switch self {
        case .tcp(let host, let port, let tls):
            let bracketed = host.contains(":") ? "[\(host)]" : host
            return "\(tls ? "https" : "http")://\(bracketed):\(port)"
        case .unix(let path):
            return "http+unix://" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path)
        }
    }
}
