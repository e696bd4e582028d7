import Media
import MatrixTypes
import NIOCore
import URLPreview

/// Preview images kept in the media repository, as the requesting user's media marked as URL cache, so clients load
/// them from this server and never from the previewed site.
struct PreviewImages: PreviewImageStorage {
    let media: MediaRepository

    func store(_ bytes: ByteBuffer, contentType: String, uploadName: String?, for user: UserID) async throws -> StoredPreviewImage {
        let stored = try await media.storeFetched(bytes, contentType: contentType, fileName: uploadName, by: user)
        return StoredPreviewImage(uri: stored.uri, width: stored.width, height: stored.height, size: Int(stored.length))
    }
}
