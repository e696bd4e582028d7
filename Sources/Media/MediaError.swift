public import MatrixTypes
public import Storage

/// Why a media request failed.
public enum MediaError: Error, Sendable, Equatable {
    /// No such media here, not yet uploaded past its expiry, or not servable where it was asked for.
    case notFound
    /// An upload larger than `max_upload_size`.
    case tooLarge(limit: Int)
    /// A created media ID was filled already.
    case alreadyUploaded
    /// Someone other than its creator tried to fill a created media ID.
    case notCreator
    /// More created IDs waiting for their upload than `max_pending_media_uploads`; the earliest expires after this many ms.
    case tooManyPending(retryAfterMilliseconds: Int)
    /// A created media ID whose upload did not arrive within the request's wait.
    case notYetUploaded
    /// The media exists but cannot be thumbnailed (not an image, or larger than `max_image_pixels`).
    case cannotThumbnail
    /// The server holding remote media did not give it (unreachable, refused, or sent something malformed).
    case remoteFailure(String)
    /// The file system failed while writing or reading media.
    case files(String)
    case storage(StorageError)
}

extension MediaError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        if let error = error as? MediaError {
            self = error
        } else {
            self = .storage(StorageError(wrapping: error))
        }
    }
}

/// As Synapse answers.
extension MediaError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notFound: .notFound("Not found")
        case .tooLarge(let limit): .tooLarge(limit: limit)
        case .alreadyUploaded: MatrixError(.cannotOverwriteMedia, "Media ID already has content")
        case .notCreator: .forbidden("You may not upload to this media ID")
        case .tooManyPending(let retry): .limitExceeded(retryAfterMilliseconds: retry)
        case .notYetUploaded: MatrixError(.notYetUploaded, "Media has not been uploaded yet")
        case .cannotThumbnail: .notFound("Cannot make a thumbnail of this media")
        case .remoteFailure: MatrixError(.unknown, "Failed to fetch remote media", status: 502)
        case .files, .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        switch self {
        case .files(let detail): "media files failed: \(detail)"
        case .storage(let error): "media storage failed: \(error)"
        default: nil
        }
    }
}
