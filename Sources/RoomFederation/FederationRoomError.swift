public import MatrixTypes
public import Rooms

/// Why another server's room request was refused; mapped once to the spec's errors.
public enum FederationRoomError: Error, Sendable {
    /// The request's event or parameters are not what the endpoint takes.
    case badRequest(String)
    /// The requesting server may not do this (a user of another server, a refused membership).
    case forbidden(String)
    /// None of the room versions the joining server supports is the room's.
    case incompatibleRoomVersion(String)
    case room(RoomError)
}

extension FederationRoomError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .badRequest(let message): MatrixError(.badJSON, message)
        case .forbidden(let message): .forbidden(message)
        case .incompatibleRoomVersion:
            MatrixError(.incompatibleRoomVersion, "Your homeserver does not support the features required to interact with this room", status: 400)
        case .room(.missingEvents(let ids)): MatrixError(.badJSON, "Events not known here: \(ids.map(\.rawValue).joined(separator: ", "))")
        case .room(let error): error.clientError
        }
    }

    /// `M_INCOMPATIBLE_ROOM_VERSION` names the room's version, so the joining server can say what it lacks.
    public var responseBody: JSONValue? {
        guard case .incompatibleRoomVersion(let version) = self else { return nil }
        let error = clientError
        return ["errcode": .string(error.code.rawValue), "error": .string(error.message), "room_version": .string(version)]
    }

    public var serverFault: String? {
        if case .room(let error) = self { return error.serverFault }
        return nil
    }
}
