public import MatrixTypes

/// A server-to-server request as its signature covers it: method, target exactly as received, the `Authorization`
/// headers and the JSON body (`nil` when there is none).
public struct SignedFederationRequest: Sendable {
    public let method: String
    public let uri: String
    public let authorizations: [String]
    public let content: JSONValue?

    public init(method: String, uri: String, authorizations: [String], content: JSONValue?) {
        self.method = method
        self.uri = uri
        self.authorizations = authorizations
        self.content = content
    }
}

/// Checks a federation request's `X-Matrix` signature against its origin's published keys, before any handler runs.
public protocol FederationRequestAuthenticating: Sendable {
    /// The server that signed `request`; a `401 M_UNAUTHORIZED` `MatrixError` otherwise.
    func origin(of request: SignedFederationRequest) async throws(MatrixError) -> ServerName
}

/// A federation request whose origin signed it.
public struct FederatedRequest: Sendable {
    public let request: MatrixRequest
    public let origin: ServerName

    public init(request: MatrixRequest, origin: ServerName) {
        self.request = request
        self.origin = origin
    }
}
