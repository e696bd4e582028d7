public import MatrixTypes
public import NIOCore

/// How media of other servers is fetched: over federation (`/_matrix/federation/v1/media/download`, then the legacy
/// `/_matrix/media/v3/download` for servers that predate it). Shaped by what the repository needs; the federation
/// client implements it.
public protocol RemoteMediaSource: Sendable {
    /// Fetches `mediaID` of `server`, handing its bytes to `write` in order as they arrive, and at most `limit` of them
    /// (more is `MediaError.tooLarge`); returns what the server said of it. A server that has no such media is
    /// `MediaError.notFound`, one that could not be asked or answered wrongly `MediaError.remoteFailure`.
    func download(
        _ mediaID: String, from server: ServerName, limit: Int, write: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws(MediaError) -> RemoteMediaHead
}

/// What another server said of its media.
public struct RemoteMediaHead: Sendable {
    public var contentType: String
    /// From its `Content-Disposition`, if it gave one.
    public var fileName: String?

    public init(contentType: String, fileName: String?) {
        self.contentType = contentType
        self.fileName = fileName
    }
}
