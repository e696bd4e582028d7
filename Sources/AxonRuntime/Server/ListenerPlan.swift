import AxonConfig
import MatrixHTTP

/// One socket to bind and what it serves, derived from a `listeners` entry.
struct ListenerPlan: Sendable {
    enum Address: Sendable, CustomStringConvertible {
        case tcp(host: String, port: Int)
        case unix(path: String)

        var description: String {
            switch self {
            case .tcp(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            case .unix(let path): "unix:\(path)"
            }
        }
    }

    let address: Address
    let served: ServedRoutes
    let trustForwardedFor: Bool

    /// Expands each HTTP listener into one plan per bind address. Listener kinds Axon does not serve are
    /// reported back so the caller can warn about them rather than silently dropping them.
    static func plans(for listeners: [ListenerConfig], role: ProcessRole?) throws(StartupError) -> (plans: [ListenerPlan], skipped: [String]) {
        var plans: [ListenerPlan] = []
        var skipped: [String] = []
        for (index, listener) in listeners.enumerated() {
            guard listener.type == .http else {
                skipped.append("listeners[\(index)]: type '\(listener.type.rawValue)' is not served by Axon")
                continue
            }
            if listener.tls {
                throw StartupError(
                    "listeners[\(index)].tls: Axon serves plain HTTP; terminate TLS in a reverse proxy such as nginx (see nginx/ in the Axon sources) and set tls: false."
                )
            }
            let served = ServedRoutes(listenerResources: listener.resourceNames.compactMap(RouteResource.init), role: role)
            switch listener.address {
            case .tcp(let port, let hosts):
                for host in hosts {
                    plans.append(ListenerPlan(address: .tcp(host: host, port: port), served: served, trustForwardedFor: listener.xForwarded))
                }
            case .unix(let path, _):
                plans.append(ListenerPlan(address: .unix(path: path), served: served, trustForwardedFor: listener.xForwarded))
            }
        }
        return (plans, skipped)
    }
}

extension RouteResource {
    /// Listener resource names that have no routes in Axon (`consent`, `static`) map to nothing.
    init?(_ resource: ListenerResource) {
        self.init(rawValue: resource.rawValue)
    }
}
