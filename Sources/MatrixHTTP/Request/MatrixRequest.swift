public import HTTPTypes
public import Logging
public import MatrixTypes

/// What a handler receives: the request already matched, its parameters decoded and its body validated
/// against the route's `RequestShape`.
public struct MatrixRequest: Sendable {
    public let method: HTTPRequest.Method
    public let route: Route
    public let pathParameters: [String: String]
    public let query: QueryParameters
    /// The validated JSON object for `.jsonObject` routes, `.null` otherwise.
    public let body: JSONValue
    /// The body of `.binary` routes, unread: the handler streams it.
    public let upload: UploadBody?
    public let headers: HTTPFields
    /// The client's address (from `X-Forwarded-For` when the listener trusts it).
    public let remoteAddress: String
    public let logger: Logger

    /// A path parameter declared by the route's template; the template guarantees it is present.
    public func pathParameter(_ name: String) -> String {
        guard let value = pathParameters[name] else {
            preconditionFailure("route \(route.path) has no parameter \(name)")
        }
        return value
    }
}
