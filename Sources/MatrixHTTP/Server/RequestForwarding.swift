public import HTTPTypes
public import NIOCore

/// How a worker hands a request for a route the main process serves to it (design §3: writes go to their writer).
/// The main process authenticates, validates and handles it as if a client had sent it there; the worker answers
/// the client with that answer once it has itself seen what the request wrote.
public protocol RequestForwarding: Sendable {
    func forward(_ request: ForwardedRequest) async throws -> MatrixResponse
}

/// A client request as a worker received it.
public struct ForwardedRequest: Sendable {
    public var method: HTTPRequest.Method
    /// The raw path and query, exactly as received.
    public var target: String
    /// The client's `Authorization` and `Content-Type`, when sent.
    public var authorization: String?
    public var contentType: String?
    public var clientAddress: String
    public var body: ByteBuffer
}

extension HTTPField.Name {
    /// Marks a request a worker forwarded to the main process's replication listener.
    public static let axonForwarded = HTTPField.Name("X-Axon-Forwarded")!
    /// `worker_replication_secret` on internal requests between Axon's processes.
    public static let axonReplicationSecret = HTTPField.Name("X-Axon-Replication-Secret")!
    /// On the answer to a forwarded request: the positions the main process's streams had been allocated up to, which
    /// the worker waits to see before answering.
    public static let axonPositions = HTTPField.Name("X-Axon-Positions")!
}
