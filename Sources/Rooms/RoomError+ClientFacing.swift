public import MatrixTypes

/// The room services' errors, with Synapse's codes and statuses.
extension RoomError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .forbidden(let message): .forbidden(message)
        case .roomNotFound: .notFound("Unknown room")
        case .eventNotFound: .notFound("Event not found.")
        case .aliasNotFound: .notFound("Room alias not found")
        case .aliasInUse: MatrixError(.roomInUse, "Room alias already taken")
        case .badAlias(let alias): MatrixError(.badAlias, "Room alias \(alias) does not point to the room")
        case .unsupportedRoomVersion(let version):
            MatrixError(.unsupportedRoomVersion, "Your homeserver does not support the room version '\(version)'")
        case .badRequest(let message): .invalidParameter(message)
        case .invalidRoomState(let message): MatrixError(.invalidRoomState, message)
        case .invalidEvent: .badJSON("The event could not be built: values must be valid canonical JSON (no floats)")
        case .eventTooLarge: MatrixError(.tooLarge, "Event is larger than the \(PDU.maximumByteCount) bytes allowed")
        case .rateLimited(let retry): .limitExceeded(retryAfterMilliseconds: retry)
        case .badState(let message): MatrixError(.badState, message, status: 403)
        case .cancelled: .unavailable("The request was cancelled.")
        case .writerUnavailable: .unavailable("The server is temporarily unable to handle this request; try again.")
        case .roomIDUnavailable: MatrixError(.unknown, "Couldn't generate a unique room ID.")
        case .storage: MatrixError(.unknown, "Internal server error")
        case .remoteUnavailable(let reason): MatrixError(.unknown, reason, status: 502)
        case .cannotAuthoriseJoin(let reason): MatrixError(.unableToAuthoriseJoin, reason)
        case .cannotGrantJoin(let reason): MatrixError(.unableToGrantJoin, reason)
        case .missingEvents(let ids): .invalidParameter("Events not known here: \(ids.map(\.rawValue).joined(separator: ", "))")
        }
    }

    public var serverFault: String? {
        switch self {
        case .invalidEvent(let reason): "event could not be built: \(reason)"
        case .storage(let error): "room storage failed: \(error)"
        case .writerUnavailable(let reason): "event persister unavailable: \(reason)"
        default: nil
        }
    }
}
