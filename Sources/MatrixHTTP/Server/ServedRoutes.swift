import MatrixTypes

/// Which of the registry's routes one listener of one process answers: those of its listener resources
/// (health on every listener) and, in worker mode, of its role. Anything else gets a clear refusal rather
/// than a half-handled request.
public struct ServedRoutes: Sendable {
    public let resources: Set<RouteResource>
    /// nil in the monolith, which answers every role's routes.
    public let role: ProcessRole?

    public init(listenerResources: some Sequence<RouteResource>, role: ProcessRole?) {
        var resources: Set<RouteResource> = [.health]
        for resource in listenerResources { resources.formUnion(resource.implied) }
        self.resources = resources
        self.role = role
    }

    func check(_ route: Route) throws(MatrixError) {
        guard resources.contains(route.resource) else { throw .unrecognized() }
        if let role, !route.resource.isServedByEveryRole, route.role != role {
            throw MatrixError(
                .unrecognized,
                "This endpoint is served by \(route.role.executableName), not by this \(role.executableName) process.",
                status: 404
            )
        }
    }
}
