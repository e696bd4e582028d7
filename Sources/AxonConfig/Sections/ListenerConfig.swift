/// One entry of `listeners` (or a worker's `worker_listeners`): a socket, its protocol and, for HTTP,
/// which groups of endpoints it serves.
public struct ListenerConfig: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case http
        case manhole
        case metrics
    }

    public enum Address: Sendable, Hashable {
        /// `port` on each of `bind_addresses`.
        case tcp(port: Int, bindAddresses: [String])
        /// A UNIX socket at `path` with permission bits `mode`, for a reverse proxy on the same host.
        case unix(path: String, mode: Int)
    }

    /// One `resources` entry: endpoint groups served together, optionally gzip-compressed.
    public struct Resource: Sendable, Hashable {
        public var names: [ListenerResource]
        public var compress: Bool

        public init(names: [ListenerResource], compress: Bool = false) {
            self.names = names
            self.compress = compress
        }
    }

    public var type: Kind
    public var address: Address
    public var tls: Bool
    /// Trust `X-Forwarded-For`/`X-Forwarded-Proto` from a reverse proxy.
    public var xForwarded: Bool
    public var resources: [Resource]
    /// `tag`: the name used for this listener in logs and metrics instead of its port.
    public var tag: String?
    /// `request_id_header`: take request IDs from this header (set by the proxy) instead of generating them.
    public var requestIDHeader: String?

    /// Synapse's default when `bind_addresses` is omitted (metrics listeners use `0.0.0.0` only).
    public static let defaultBindAddresses = ["::", "0.0.0.0"]

    public init(
        type: Kind = .http, address: Address, tls: Bool = false, xForwarded: Bool = false, resources: [Resource] = [],
        tag: String? = nil, requestIDHeader: String? = nil
    ) {
        self.type = type
        self.address = address
        self.tls = tls
        self.xForwarded = xForwarded
        self.resources = resources
        self.tag = tag
        self.requestIDHeader = requestIDHeader
    }

    /// The TCP port, or `nil` for a UNIX socket.
    public var port: Int? {
        if case .tcp(let port, _) = address { return port }
        return nil
    }

    /// Every resource named by any `resources` entry.
    public var resourceNames: Set<ListenerResource> {
        Set(resources.flatMap(\.names))
    }

    public func serves(_ resource: ListenerResource) -> Bool {
        resources.contains { $0.names.contains(resource) }
    }
}

/// The endpoint groups a listener can serve (`resources[].names`), as Synapse names them.
public enum ListenerResource: String, Sendable, Hashable, CaseIterable {
    case client
    case consent
    case federation
    case health
    case keys
    case media
    case metrics
    case openid
    case replication
    case staticFiles = "static"
}
