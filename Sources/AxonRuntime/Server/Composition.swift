public import AxonConfig
public import Logging
public import MatrixHTTP
public import Storage
import ClientAPI

/// Wires services and route collections for one process. Tests build the same composition, so what
/// they exercise is what `axon` serves.
public struct Composition: Sendable {
    public let config: HomeserverConfig
    public let role: ProcessRole
    public let database: any Database
    public let registry: RouteRegistry
    let readiness: Readiness
    let logger: Logger

    public init(config: HomeserverConfig, role: ProcessRole, database: any Database, logger: Logger) {
        self.config = config
        self.role = role
        self.database = database
        self.logger = logger
        let readiness = Readiness(Self.readinessChecks(role: role, database: database))
        self.readiness = readiness
        registry = RouteRegistry(HealthRoutes.routes(readiness: readiness) + VersionsRoutes.routes())
    }

    /// The responder for one listener. The monolith (`main`) answers every role's routes.
    public func responder(listenerResources: some Sequence<RouteResource>, trustForwardedFor: Bool) -> MatrixResponder {
        MatrixResponder(
            registry: registry,
            served: ServedRoutes(listenerResources: listenerResources, role: role == .main ? nil : role),
            limits: BodyLimits(upload: config.media.maxUploadSize),
            trustForwardedFor: trustForwardedFor,
            logger: logger
        )
    }

    private static func readinessChecks(role: ProcessRole, database: any Database) -> [@Sendable () async -> String?] {
        var checks: [@Sendable () async -> String?] = [
            {
                do {
                    try await database.ping()
                    return nil
                } catch {
                    return "database unavailable: \(error)"
                }
            }
        ]
        if let missing = RoleAvailability.missingReason(role) {
            checks.append { missing }
        }
        return checks
    }
}
