import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// `GET /_matrix/federation/v1/version`: which implementation answers federation here (the federation tester shows it).
public enum FederationVersionRoutes {
    /// This release of Axon.
    static let version = "0.1.0"

    public static func routes() -> [Route] {
        [
            Route(.get, "/_matrix/federation/v1/version", resource: .federation, role: .federationReceiver) { _ in
                .json(["server": ["name": "Axon", "version": .string(version)]])
            }
        ]
    }
}
