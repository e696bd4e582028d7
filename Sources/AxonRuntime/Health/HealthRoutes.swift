import MatrixHTTP
import MatrixTypes
import HTTPTypes

/// `/health` answers liveness on every listener, as Synapse's does; `/health/ready` answers whether this
/// process can do its work right now, so an orchestrator can hold traffic back without restarting it.
enum HealthRoutes {
    static func routes(readiness: Readiness) -> [Route] {
        [
            Route(.get, "/health", resource: .health, role: .main) { _ in .text("OK") },
            Route(.get, "/health/ready", resource: .health, role: .main) { _ in
                if let reason = await readiness.problem() {
                    return .text(reason, status: .serviceUnavailable)
                }
                return .text("OK")
            },
        ]
    }
}
