import HTTPTypes
public import Federation
public import MatrixHTTP
import MatrixTypes

/// `GET /_matrix/key/v2/server`: this server's signing keys, which other servers fetch to check its requests and
/// events. The form with a key ID (deprecated, still asked for by old servers) answers the same document, as
/// Synapse does.
public enum ServerKeyRoutes {
    public static func routes(publication: ServerKeyPublication) -> [Route] {
        ["/_matrix/key/v2/server", "/_matrix/key/v2/server/{keyId}"].map { path in
            Route(.get, path, resource: .keys, role: .federationReceiver) { _ in
                .json(try publication.document())
            }
        }
    }
}
