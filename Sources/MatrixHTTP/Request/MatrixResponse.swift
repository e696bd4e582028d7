public import HTTPTypes
public import MatrixTypes
public import NIOCore

/// A handler's answer. JSON bodies are encoded by the responder so every route answers the same way.
public struct MatrixResponse: Sendable {
    public enum Body: Sendable {
        case json(JSONValue)
        case text(String)
        case bytes(ByteBuffer, contentType: String)
        case empty
    }

    public var status: HTTPResponse.Status
    public var body: Body
    public var headers: HTTPFields

    public init(status: HTTPResponse.Status = .ok, body: Body, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> MatrixResponse {
        MatrixResponse(status: status, body: .json(value))
    }

    public static func text(_ value: String, status: HTTPResponse.Status = .ok) -> MatrixResponse {
        MatrixResponse(status: status, body: .text(value))
    }
}
