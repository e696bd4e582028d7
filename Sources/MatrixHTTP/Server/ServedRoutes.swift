import MatrixTypes

/// Which of the registry's routes one listener of one process answers: those of its listener resources
/// (health on every listener) and, in worker mode, of its role. A worker that can forward hands the main process's
/// routes to it; anything else gets a clear refusal rather than a half-handled request.
public struct ServedRoutes: Sendable {
    public let resources: Set<RouteResource>
    /// nil in the main process, which answers every role's routes.
    public let role: ProcessRole?
    /// A worker forwards requests for the main process's routes instead of refusing them.
    public let forwardsToMain: Bool

    /// What to do with a matched route.
    enum Disposition {
        case answer
        case forwardToMain
    }

    public init(listenerResources: some Sequence<RouteResource>, role: ProcessRole?, forwardsToMain: Bool = false) {
        var resources: Set<RouteResource> = [.health]
        for resource in listenerResources { resources.formUnion(resource.implied) }
        self.resources = resources
        self.role = role
        self.forwardsToMain = forwardsToMain
    }

    /// The main process answers every route a worker forwarded to its replication listener.
    var acceptsForwarded: Bool { role == nil && resources.contains(.replication) }

    func disposition(of route: Route, forwarded: Bool) throws(MatrixError) -> Disposition {
        if forwarded, acceptsForwarded { return .answer }
        guard resources.contains(route.resource) else { throw .unrecognized() }
        if let role, !route.resource.isServedByEveryRole, route.role != role {
            if route.role == .main, forwardsToMain { return .forwardToMain }
            throw MatrixError(
                .unrecognized,
                "This endpoint is served by \(route.role.executableName), not by this \(role.executableName) process.",
                status: 404
            )
        }
        return .answer
    }
}
