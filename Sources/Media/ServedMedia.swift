public import NIOCore

/// Media found for a download or a thumbnail: what to tell the client about it, and its bytes on demand.
public struct ServedMedia: Sendable {
    public let contentType: String
    public let length: Int64
    /// The name it was uploaded under, if any.
    public let uploadName: String?
    let files: MediaFiles
    let location: MediaFiles.Location

    /// Hands the bytes to `send` in order, a chunk at a time.
    public func send(_ send: (ByteBuffer) async throws -> Void) async throws {
        try await files.read(location, send: send)
    }
}
