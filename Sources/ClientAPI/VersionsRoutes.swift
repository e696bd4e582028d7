public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `GET /_matrix/client/versions`: the first request every client makes.
public enum VersionsRoutes {
    /// Only versions whose required endpoints Axon serves; clients switch features on from this list.
    static let supportedVersions: [String] = ["r0.6.1", "v1.1"]

    public static func routes() -> [Route] {
        [
            Route(.get, "/_matrix/client/versions", resource: .client, role: .clientReader) { _ in
                .json([
                    "versions": .array(supportedVersions.map { .string($0) }),
                    "unstable_features": [:],
                ])
            }
        ]
    }
}
