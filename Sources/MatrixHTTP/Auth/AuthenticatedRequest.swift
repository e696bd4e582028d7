public import MatrixTypes

/// What an authenticated route's handler receives: the request plus its requester, never optional, so
/// handlers cannot forget to check who is calling. Request fields read through, as `request.body`.
@dynamicMemberLookup
public struct AuthenticatedRequest: Sendable {
    public let request: MatrixRequest
    public let requester: Requester

    public subscript<Value>(dynamicMember keyPath: KeyPath<MatrixRequest, Value>) -> Value {
        request[keyPath: keyPath]
    }

    public func pathParameter(_ name: String) -> String {
        request.pathParameter(name)
    }
}
