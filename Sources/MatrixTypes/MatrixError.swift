/// A failure the Matrix specification gives a name to. Every typed error in Axon is turned into one of these
/// in a single place (the HTTP layer's error mapping), so clients always see the spec's `errcode` and status.
public struct MatrixError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    /// HTTP status to answer with; defaults to the one the spec pairs with `code`.
    public var status: Int
    /// Set only for `M_LIMIT_EXCEEDED`.
    public var retryAfterMilliseconds: Int?

    public init(_ code: ErrorCode, _ message: String, status: Int? = nil, retryAfterMilliseconds: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? code.defaultStatus
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }
}

extension MatrixError {
    public static func notJSON(_ message: String = "Content not JSON.") -> MatrixError { .init(.notJSON, message) }
    public static func badJSON(_ message: String) -> MatrixError { .init(.badJSON, message) }
    public static func missingParameter(_ name: String) -> MatrixError {
        .init(.missingParameter, "Missing parameter '\(name)'.")
    }
    public static func invalidParameter(_ message: String) -> MatrixError { .init(.invalidParameter, message) }
    public static func notFound(_ message: String = "Not found.") -> MatrixError { .init(.notFound, message) }
    public static func forbidden(_ message: String) -> MatrixError { .init(.forbidden, message) }
    public static func unrecognized(status: Int = 404) -> MatrixError {
        .init(.unrecognized, "Unrecognized request", status: status)
    }
    public static func tooLarge(limit: Int) -> MatrixError {
        .init(.tooLarge, "Request body is larger than the \(limit) bytes allowed.")
    }
    public static func limitExceeded(retryAfterMilliseconds: Int) -> MatrixError {
        .init(.limitExceeded, "Too many requests.", retryAfterMilliseconds: retryAfterMilliseconds)
    }
    public static func unavailable(_ message: String) -> MatrixError {
        .init(.unknown, message, status: 503)
    }
}

/// The `errcode` values of the Client-Server and Server-Server APIs.
public enum ErrorCode: String, Sendable, CaseIterable {
    case forbidden = "M_FORBIDDEN"
    case unknownToken = "M_UNKNOWN_TOKEN"
    case missingToken = "M_MISSING_TOKEN"
    case badJSON = "M_BAD_JSON"
    case notJSON = "M_NOT_JSON"
    case notFound = "M_NOT_FOUND"
    case limitExceeded = "M_LIMIT_EXCEEDED"
    case unrecognized = "M_UNRECOGNIZED"
    case unknown = "M_UNKNOWN"
    case unauthorized = "M_UNAUTHORIZED"
    case userDeactivated = "M_USER_DEACTIVATED"
    case userInUse = "M_USER_IN_USE"
    case invalidUsername = "M_INVALID_USERNAME"
    case roomInUse = "M_ROOM_IN_USE"
    case invalidRoomState = "M_INVALID_ROOM_STATE"
    case unsupportedRoomVersion = "M_UNSUPPORTED_ROOM_VERSION"
    case incompatibleRoomVersion = "M_INCOMPATIBLE_ROOM_VERSION"
    case badState = "M_BAD_STATE"
    case guestAccessForbidden = "M_GUEST_ACCESS_FORBIDDEN"
    case missingParameter = "M_MISSING_PARAM"
    case invalidParameter = "M_INVALID_PARAM"
    case tooLarge = "M_TOO_LARGE"
    case exclusive = "M_EXCLUSIVE"
    case serverNotTrusted = "M_SERVER_NOT_TRUSTED"
    case notYetUploaded = "M_NOT_YET_UPLOADED"
    case cannotOverwriteMedia = "M_CANNOT_OVERWRITE_MEDIA"
    case userLocked = "M_USER_LOCKED"
    case userSuspended = "M_USER_SUSPENDED"
    case invalidSignature = "M_INVALID_SIGNATURE"
    case weakPassword = "M_WEAK_PASSWORD"
    case threepidInUse = "M_THREEPID_IN_USE"
    case badAlias = "M_BAD_ALIAS"
    case unableToAuthoriseJoin = "M_UNABLE_TO_AUTHORISE_JOIN"
    case unableToGrantJoin = "M_UNABLE_TO_GRANT_JOIN"
    case wrongRoomKeysVersion = "M_WRONG_ROOM_KEYS_VERSION"

    public var defaultStatus: Int {
        switch self {
        case .forbidden, .guestAccessForbidden, .userDeactivated, .serverNotTrusted: 403
        case .unknownToken, .missingToken, .unauthorized, .userLocked: 401
        case .notFound, .unrecognized: 404
        case .limitExceeded: 429
        case .tooLarge: 413
        case .unknown: 500
        case .notYetUploaded: 504
        case .cannotOverwriteMedia: 409
        case .roomInUse, .userInUse, .invalidUsername, .exclusive, .badJSON, .notJSON,
            .invalidRoomState, .unsupportedRoomVersion, .incompatibleRoomVersion, .badState, .missingParameter,
            .invalidParameter, .weakPassword, .threepidInUse, .badAlias, .unableToAuthoriseJoin, .unableToGrantJoin, .invalidSignature:
            400
        case .userSuspended, .wrongRoomKeysVersion: 403
        }
    }
}
