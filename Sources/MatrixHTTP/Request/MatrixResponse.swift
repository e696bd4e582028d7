public import HTTPTypes
public import MatrixTypes
public import NIOCore

/// A handler's answer. JSON bodies are encoded by the responder so every route answers the same way.
public struct MatrixResponse: Sendable {
    public enum Body: Sendable {
        case json(JSONValue)
        case text(String)
        case bytes(ByteBuffer, contentType: String)
        /// Written chunk by chunk as it is read (a file), so no answer is held whole.
        case stream(StreamedBody)
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

/// A body produced while it is sent: `produce` hands each chunk to the function it is given, in order, and returns
/// once it has handed over exactly `length` bytes.
public struct StreamedBody: Sendable {
    public var contentType: String
    public var length: Int
    public var produce: @Sendable (_ send: (ByteBuffer) async throws -> Void) async throws -> Void

    public init(contentType: String, length: Int, produce: @escaping @Sendable (_ send: (ByteBuffer) async throws -> Void) async throws -> Void) {
        self.contentType = contentType
        self.length = length
        self.produce = produce
    }
}
