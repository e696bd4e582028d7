import AsyncHTTPClient
import AxonConfig
import Foundation
import MatrixHTTP
import NIOHTTP1

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

extension ReplicationSecret {
    /// A request to another process's replication listener at `baseURL`, carrying the secret when one is configured.
    func request(_ baseURL: String, _ target: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = method
        if let value = headerValue { request.headers.add(name: "X-Axon-Replication-Secret", value: value) }
        return request
    }
}
