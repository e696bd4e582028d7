public import HTTPTypes
public import MatrixTypes

/// One endpoint: the single source of truth for dispatch, listener resources, worker routing and the
/// bad-input suite.
public struct Route: Sendable {
    public typealias Handler = @Sendable (MatrixRequest) async throws -> MatrixResponse
    public typealias AuthenticatedHandler = @Sendable (AuthenticatedRequest) async throws -> MatrixResponse
    /// Receives the requester when the request carried a valid token, `nil` when it carried none.
    public typealias OptionallyAuthenticatedHandler = @Sendable (MatrixRequest, Requester?) async throws -> MatrixResponse
    /// Receives the server that signed the request.
    public typealias FederationHandler = @Sendable (FederatedRequest) async throws -> MatrixResponse

    /// Whether the responder resolves an access token before the handler runs.
    public enum Handling: Sendable {
        case open(Handler)
        case authenticated(TokenRequirement, AuthenticatedHandler)
        /// Runs without a token; a token that is sent must be valid (users and guests), as Synapse's
        /// `get_optional_user_by_req`.
        case optionallyAuthenticated(OptionallyAuthenticatedHandler)
        /// Runs only for a request its origin server signed (`X-Matrix`), checked once the body is read.
        case federation(FederationHandler)
    }

    public let method: HTTPRequest.Method
    public let path: PathTemplate
    public let resource: RouteResource
    public let role: ProcessRole
    public let shape: RequestShape
    /// Checked before the body is read: per user on authenticated routes, per client address on open ones.
    public let rateLimiter: RateLimiter?
    public let handling: Handling

    /// A route that reads no access token.
    public init(
        _ method: HTTPRequest.Method,
        _ path: String,
        resource: RouteResource,
        role: ProcessRole,
        shape: RequestShape = .empty,
        rateLimiter: RateLimiter? = nil,
        handler: @escaping Handler
    ) {
        self.init(method, path, resource: resource, role: role, shape: shape, rateLimiter: rateLimiter, handling: .open(handler))
    }

    /// A route whose handler runs only for a valid access token of the kind `auth` allows.
    public init(
        _ method: HTTPRequest.Method,
        _ path: String,
        resource: RouteResource,
        role: ProcessRole,
        auth: TokenRequirement,
        shape: RequestShape = .empty,
        rateLimiter: RateLimiter? = nil,
        handler: @escaping AuthenticatedHandler
    ) {
        self.init(method, path, resource: resource, role: role, shape: shape, rateLimiter: rateLimiter, handling: .authenticated(auth, handler))
    }

    /// A route anyone may call, which learns who is calling when a token is sent.
    public init(
        _ method: HTTPRequest.Method,
        _ path: String,
        resource: RouteResource,
        role: ProcessRole,
        shape: RequestShape = .empty,
        rateLimiter: RateLimiter? = nil,
        optionalTokenHandler handler: @escaping OptionallyAuthenticatedHandler
    ) {
        self.init(method, path, resource: resource, role: role, shape: shape, rateLimiter: rateLimiter, handling: .optionallyAuthenticated(handler))
    }

    /// A server-to-server route: its handler runs only for a request signed by its origin server.
    public static func federation(
        _ method: HTTPRequest.Method,
        _ path: String,
        resource: RouteResource = .federation,
        role: ProcessRole = .federationReceiver,
        shape: RequestShape = .empty,
        rateLimiter: RateLimiter? = nil,
        handler: @escaping FederationHandler
    ) -> Route {
        Route(method, path, resource: resource, role: role, shape: shape, rateLimiter: rateLimiter, handling: .federation(handler))
    }

    private init(
        _ method: HTTPRequest.Method, _ path: String, resource: RouteResource, role: ProcessRole, shape: RequestShape,
        rateLimiter: RateLimiter?, handling: Handling
    ) {
        self.method = method
        self.path = PathTemplate(path)
        self.resource = resource
        self.role = role
        self.shape = shape
        self.rateLimiter = rateLimiter
        self.handling = handling
    }

    /// Who may call the route; `nil` when it reads no access token.
    public var tokenRequirement: TokenRequirement? {
        if case .authenticated(let requirement, _) = handling { return requirement }
        return nil
    }
}

/// Builds client-API routes under every version prefix clients use for an endpoint.
public enum ClientPath {
    /// `r0` and `v3` for endpoints that existed before v1.1; new endpoints pass `["v3"]` or `["v1"]`.
    public static func expand(_ suffix: String, versions: [String] = ["r0", "v3"]) -> [String] {
        versions.map { "/_matrix/client/\($0)\(suffix)" }
    }
}
