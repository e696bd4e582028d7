import Logging
import MatrixTypes
import Rooms

/// The room services' errors, with Synapse's codes and statuses.
extension ErrorMapping {
    static func roomsError(_ error: any Error, logger: Logger) -> MatrixError? {
        guard let error = error as? RoomError else { return nil }
        switch error {
        case .forbidden(let message): return .forbidden(message)
        case .roomNotFound: return .notFound("Unknown room")
        case .eventNotFound: return .notFound("Event not found.")
        case .aliasNotFound: return .notFound("Room alias not found")
        case .profileNotFound: return .notFound("Profile was not found")
        case .filterNotFound: return .notFound("No such filter")
        case .accountDataNotFound: return .notFound("Account data not found")
        case .aliasInUse: return MatrixError(.roomInUse, "Room alias already taken")
        case .badAlias(let alias): return MatrixError(.badAlias, "Room alias \(alias) does not point to the room")
        case .unsupportedRoomVersion(let version):
            return MatrixError(.unsupportedRoomVersion, "Your homeserver does not support the room version '\(version)'")
        case .badRequest(let message): return .invalidParameter(message)
        case .badJSON(let message): return .badJSON(message)
        case .invalidRoomState(let message): return MatrixError(.invalidRoomState, message)
        case .invalidEvent(let message):
            logger.error("event could not be built", metadata: ["reason": "\(message)"])
            return .badJSON("The event could not be built: values must be valid canonical JSON (no floats)")
        case .eventTooLarge: return MatrixError(.tooLarge, "Event is larger than the \(PDU.maximumByteCount) bytes allowed")
        case .rateLimited(let retry): return .limitExceeded(retryAfterMilliseconds: retry)
        case .badState(let message): return MatrixError(.badState, message, status: 403)
        case .cancelled: return .unavailable("The request was cancelled.")
        case .roomIDUnavailable: return MatrixError(.unknown, "Couldn't generate a unique room ID.")
        case .storage(let storageError):
            logger.error("room storage failed", metadata: ["error": "\(storageError)"])
            return MatrixError(.unknown, "Internal server error")
        }
    }
}
