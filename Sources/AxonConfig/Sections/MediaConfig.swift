/// The media repository: whether this process serves it, where files live and how big they may be.
public struct MediaConfig: Sendable, Hashable {
    /// `enable_media_repo`: set `false` in the shared config when media workers serve it.
    public var enableMediaRepo = true
    /// `media_store_path`, absolute; Synapse's default is `media_store` in the working directory.
    public var storePath: String
    /// `max_upload_size` in bytes.
    public var maxUploadSize = 50 * 1024 * 1024
    /// `max_image_pixels`: larger images are not thumbnailed.
    public var maxImagePixels = 32 * 1024 * 1024
    /// `dynamic_thumbnails`: make thumbnails of any requested size instead of the configured set.
    public var dynamicThumbnails = false
    /// `enable_authenticated_media`: serve local media only on the authenticated (`/client/v1/media`) endpoints.
    public var enableAuthenticatedMedia = true
    /// `max_pending_media_uploads`: `/media/v1/create` IDs a user may hold without uploading.
    public var maxPendingMediaUploads = 5
    /// `unused_expiration_time` in milliseconds: how long a created media ID waits for its upload.
    public var unusedExpirationTime = 86_400_000
    /// `prevent_media_downloads_from`: server names whose media is never fetched.
    public var preventMediaDownloadsFrom: [String] = []

    public init(storePath: String) {
        self.storePath = storePath
    }
}

extension MediaConfig {
    init(from root: MappingReader, paths: PathResolver) {
        self.init(storePath: paths.absolute(root.string("media_store_path") ?? "media_store"))
        enableMediaRepo = root.bool("enable_media_repo", default: true)
        maxUploadSize = root.size("max_upload_size") ?? maxUploadSize
        maxImagePixels = root.size("max_image_pixels") ?? maxImagePixels
        dynamicThumbnails = root.bool("dynamic_thumbnails", default: false)
        enableAuthenticatedMedia = root.bool("enable_authenticated_media", default: true)
        maxPendingMediaUploads = root.value("max_pending_media_uploads")?.int(in: 0...Int.max) ?? maxPendingMediaUploads
        unusedExpirationTime = root.duration("unused_expiration_time") ?? unusedExpirationTime
        preventMediaDownloadsFrom = root.stringList("prevent_media_downloads_from") ?? []
    }
}
