public import MatrixHTTP
import HTTPTypes
public import MatrixTypes

/// `/.well-known/matrix/client` and `/.well-known/matrix/server`, as Synapse serves them when configured.
public enum WellKnownRoutes {
    /// - Parameters:
    ///   - client: the client discovery object; `nil` (no `public_baseurl`) answers 404.
    ///   - server: the delegated federation address; `nil` (`serve_server_wellknown` off) answers 404.
    public static func routes(client: JSONValue?, server: String?) -> [Route] {
        [
            Route(.get, "/.well-known/matrix/client", resource: .client, role: .clientReader) { _ in
                guard let client else { throw MatrixError.notFound(".well-known not available") }
                return .json(client)
            },
            Route(.get, "/.well-known/matrix/server", resource: .client, role: .clientReader) { _ in
                guard let server else { return .text("404. Is anything ever truly *well* known?\n", status: .notFound) }
                return .json(["m.server": .string(server)])
            },
        ]
    }

    /// `{"m.homeserver": {"base_url": …}}`, also returned by `/login`.
    public static func clientDiscovery(publicBaseURL: String) -> JSONValue {
        ["m.homeserver": ["base_url": .string(publicBaseURL)]]
    }

    /// `host:port` for federation, port 443 unless the server name names one.
    public static func serverDelegation(serverName: ServerName) -> String {
        "\(serverName.host):\(serverName.port ?? 443)"
    }
}
