public import Hummingbird
public import MatrixTypes
public import NIOCore

/// A request body handed to the handler unread, for uploads: chunks as they arrive, ending with `M_TOO_LARGE` as
/// soon as more than `limit` bytes came, so no upload is held whole and none grows past the limit.
public struct UploadBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    private let body: RequestBody
    /// The most bytes the body may have (`max_upload_size`).
    public let limit: Int
    /// The `Content-Length` the client declared, if any (already checked against `limit`).
    public let declaredLength: Int?

    init(body: RequestBody, limit: Int, declaredLength: Int?) {
        self.body = body
        self.limit = limit
        self.declaredLength = declaredLength
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: body.makeAsyncIterator(), limit: limit)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var received = 0

        public mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            received += chunk.readableBytes
            if received > limit { throw MatrixError.tooLarge(limit: limit) }
            return chunk
        }
    }
}
