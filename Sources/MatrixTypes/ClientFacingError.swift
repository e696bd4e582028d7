/// A service's error that knows what a client is told. The HTTP layer's one error mapping asks any error for it, so
/// it knows no service, and each service keeps the spec codes of its errors next to the errors themselves.
public protocol ClientFacingError: Error {
    /// The spec's error the client receives.
    var clientError: MatrixError { get }
    /// For a failure that is the server's own (a storage failure, a bug): what the server log records. The client
    /// sees only `clientError`.
    var serverFault: String? { get }
    /// The whole response body when it is more than the spec's `{errcode, error}` (the user-interactive auth
    /// challenge, with its flows); `nil` for the usual body made from `clientError`.
    var responseBody: JSONValue? { get }
}

extension ClientFacingError {
    public var serverFault: String? { nil }
    public var responseBody: JSONValue? { nil }
}
