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
    /// `thumbnail_sizes`: the thumbnails made of every uploaded image (all of them, unless `dynamic_thumbnails`).
    public var thumbnailSizes: [ThumbnailSize] = ThumbnailSize.synapseDefaults
    /// `media_instance_running_background_jobs`: the instance that expires unused uploads and old remote media;
    /// `nil` is the main process (Synapse's default), or whichever media instance serves without workers.
    public var backgroundJobsInstance: String?
    /// `media_retention.remote_media_lifetime` in milliseconds: cached media of other servers older than this is deleted.
    public var remoteMediaLifetime: Int?
    /// `media_retention.local_media_lifetime` in milliseconds: this server's uploads older than this are deleted.
    public var localMediaLifetime: Int?

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
        if let sizes = root.value("thumbnail_sizes")?.list() {
            thumbnailSizes = sizes.compactMap(ThumbnailSize.init(from:))
        }
        backgroundJobsInstance = root.string("media_instance_running_background_jobs")
        if let retention = root.mapping("media_retention") {
            remoteMediaLifetime = retention.duration("remote_media_lifetime")
            localMediaLifetime = retention.duration("local_media_lifetime")
            retention.warnAboutUnknownKeys()
        }
    }
}

extension MediaConfig {
    /// One entry of `thumbnail_sizes`.
    public struct ThumbnailSize: Sendable, Hashable {
        public enum Method: String, Sendable, Hashable {
            case crop, scale
        }

        public var width: Int
        public var height: Int
        public var method: Method

        public init(width: Int, height: Int, method: Method) {
            self.width = width
            self.height = height
            self.method = method
        }

        /// Synapse's default `thumbnail_sizes`.
        public static let synapseDefaults = [
            ThumbnailSize(width: 32, height: 32, method: .crop), ThumbnailSize(width: 96, height: 96, method: .crop),
            ThumbnailSize(width: 320, height: 240, method: .scale), ThumbnailSize(width: 640, height: 480, method: .scale),
            ThumbnailSize(width: 800, height: 600, method: .scale),
        ]

        init?(from value: ValueReader) {
            guard let entry = value.mapping() else { return nil }
            let width = entry.required("width")?.int(in: 1...10_000)
            let height = entry.required("height")?.int(in: 1...10_000)
            let methodName = entry.string("method") ?? "scale"
            let method = Method(rawValue: methodName)
            if method == nil { entry.error("method", "must be crop or scale") }
            entry.warnAboutUnknownKeys()
            guard let width, let height, let method else { return nil }
            self.init(width: width, height: height, method: method)
        }
    }
}
