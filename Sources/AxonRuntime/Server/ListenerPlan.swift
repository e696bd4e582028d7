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
    /// The certificate and key a `tls: true` listener presents; `nil` serves plain HTTP.
    let tls: ListenerTLS?

    /// Expands each HTTP and metrics listener into one plan per bind address (a metrics listener serves only
    /// the metrics, and only with `enable_metrics`, as in Synapse). Listeners Axon does not serve are reported back
    /// so the caller can warn about them rather than silently dropping them.
    static func plans(
        for listeners: [ListenerConfig], role: ProcessRole?, metricsEnabled: Bool, server: ServerConfig
    ) throws(StartupError) -> (plans: [ListenerPlan], skipped: [String]) {
        var tls: ListenerTLS?
        var plans: [ListenerPlan] = []
        var skipped: [String] = []
        for (index, listener) in listeners.enumerated() {
            let resources: [RouteResource]
            switch listener.type {
            case .http:
                resources = listener.resourceNames.compactMap(RouteResource.init)
            case .metrics where metricsEnabled:
                resources = [.metrics]
            case .metrics:
                skipped.append("listeners[\(index)]: a metrics listener is configured but enable_metrics is not true")
                continue
            case .manhole:
                skipped.append("listeners[\(index)]: type 'manhole' is not served by Axon")
                continue
            }
            var listenerTLS: ListenerTLS?
            if listener.tls {
                if tls == nil { tls = try ListenerTLS.load(server, listener: index) }
                listenerTLS = tls
            }
            let served = ServedRoutes(listenerResources: resources, role: role)
            switch listener.address {
            case .tcp(let port, let hosts):
                for host in hosts {
                    plans.append(ListenerPlan(
                        address: .tcp(host: host, port: port), served: served, trustForwardedFor: listener.xForwarded, tls: listenerTLS
                    ))
                }
            case .unix(let path, _):
                plans.append(ListenerPlan(address: .unix(path: path), served: served, trustForwardedFor: listener.xForwarded, tls: listenerTLS))
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
