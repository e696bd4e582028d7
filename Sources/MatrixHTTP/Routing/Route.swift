public import HTTPTypes
public import MatrixTypes

/// One endpoint: the single source of truth for dispatch, listener resources, worker routing and the
/// bad-input suite.
public struct Route: Sendable {
    public typealias Handler = @Sendable (MatrixRequest) async throws -> MatrixResponse

    public let method: HTTPRequest.Method
    public let path: PathTemplate
    public let resource: RouteResource
    public let role: ProcessRole
    public let shape: RequestShape
    public let rateLimiter: RateLimiter?
    public let handler: Handler

    public init(
        _ method: HTTPRequest.Method,
        _ path: String,
        resource: RouteResource,
        role: ProcessRole,
        shape: RequestShape = .empty,
        rateLimiter: RateLimiter? = nil,
        handler: @escaping Handler
    ) {
        self.method = method
        self.path = PathTemplate(path)
        self.resource = resource
        self.role = role
        self.shape = shape
        self.rateLimiter = rateLimiter
        self.handler = handler
    }
}

/// Builds client-API routes under every version prefix clients use for an endpoint.
public enum ClientPath {
    /// `r0` and `v3` for endpoints that existed before v1.1; new endpoints pass `["v3"]` or `["v1"]`.
    public static func expand(_ suffix: String, versions: [String] = ["r0", "v3"]) -> [String] {
        versions.map { "/_matrix/client/\($0)\(suffix)" }
    }
}
