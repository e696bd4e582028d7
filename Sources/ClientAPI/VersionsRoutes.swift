public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `GET /_matrix/client/versions`: the first request every client makes.
public enum VersionsRoutes {
    /// A version is listed once every feature clients switch on when they see it is served: v1.2 added
    /// `is_guest` to `/account/whoami`. Later versions wait for everything they gate, so clients keep using the older
    /// endpoints Axon has. Authenticated media (v1.11's) is served, which clients learn from MSC3916's stable flag.
    static let supportedVersions: [String] = ["r0.6.1", "v1.1", "v1.2"]

    public static func routes() -> [Route] {
        [
            Route(.get, "/_matrix/client/versions", resource: .client, role: .clientReader) { _ in
                .json([
                    "versions": .array(supportedVersions.map { .string($0) }),
                    "unstable_features": ["org.matrix.msc3916.stable": true],
                ])
            }
        ]
    }
}
