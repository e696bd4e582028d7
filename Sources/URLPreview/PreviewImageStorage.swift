public import MatrixTypes
public import NIOCore

/// Where the images a preview shows are kept: the media repository stores each one as the requesting user's and
/// answers with its `mxc://` URI, so clients never fetch the previewed site themselves.
public protocol PreviewImageStorage: Sendable {
    /// Stores `bytes` (an image of `contentType`, at most `max_spider_size`), named `uploadName` when the site
    /// gave a file name.
    func store(_ bytes: ByteBuffer, contentType: String, uploadName: String?, for user: UserID) async throws -> StoredPreviewImage
}

/// An image as stored: its content URI, its dimensions when they could be read, and its size in bytes.
public struct StoredPreviewImage: Sendable, Hashable {
    public var uri: String
    public var width: Int?
    public var height: Int?
    public var size: Int

    public init(uri: String, width: Int?, height: Int?, size: Int) {
        self.uri = uri
        self.width = width
        self.height = height
        self.size = size
    }
}
