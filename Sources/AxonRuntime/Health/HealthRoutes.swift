import MatrixHTTP
import MatrixTypes
import HTTPTypes
import Logging

/// `/health` answers liveness on every listener, as Synapse's does; `/health/ready` answers whether this
/// process can do its work right now, so an orchestrator can hold traffic back without restarting it.
enum HealthRoutes {
    static func routes(readiness: Readiness) -> [Route] {
        [
            Route(.get, "/health", resource: .health, role: .main) { _ in .text("OK") },
            Route(.get, "/health/ready", resource: .health, role: .main) { request in
                guard let problem = await readiness.problem() else { return .text("OK") }
                // Health is served on client-facing listeners: the answer names only what is wrong, while
                // the detail (which may name hosts, users or driver internals) goes to the operator's log.
                if let detail = problem.detail {
                    request.logger.warning("not ready: \(problem.reason)", metadata: ["detail": "\(detail)"])
                }
                return .text(problem.reason, status: .serviceUnavailable)
            },
        ]
    }
}
