public import MatrixTypes

/// What the media repository is allowed to do, from the `media` keys of the config.
public struct MediaSettings: Sendable {
    public var serverName: ServerName
    /// `max_upload_size`.
    public var maxUploadSize: Int
    /// `enable_authenticated_media`: new media is served only on the authenticated endpoints.
    public var authenticatedMedia: Bool
    /// `max_pending_media_uploads`.
    public var maxPendingUploads: Int
    /// `unused_expiration_time`, in milliseconds.
    public var unusedExpiration: Int64
    /// `prevent_media_downloads_from`, by bytes.
    public var blockedOrigins: [String]

    public init(
        serverName: ServerName, maxUploadSize: Int, authenticatedMedia: Bool, maxPendingUploads: Int, unusedExpiration: Int64,
        blockedOrigins: [String]
    ) {
        self.serverName = serverName
        self.maxUploadSize = maxUploadSize
        self.authenticatedMedia = authenticatedMedia
        self.maxPendingUploads = maxPendingUploads
        self.unusedExpiration = unusedExpiration
        self.blockedOrigins = blockedOrigins
    }
}
