public import MatrixTypes
public import Rooms
public import Storage

/// Why a typing notification was refused.
public enum TypingError: Error, Sendable {
    case notOwnState
    case notJoined
    /// Reading the user's membership failed.
    case room(RoomError)
}

extension TypingError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .room(error as? RoomError ?? RoomError(wrapping: error))
    }
}

/// As Synapse answers.
extension TypingError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notOwnState: .forbidden("Cannot set another user's typing state")
        case .notJoined: .forbidden("You are not in this room")
        case .room(let error): error.clientError
        }
    }

    public var serverFault: String? {
        if case .room(let error) = self { return error.serverFault }
        return nil
    }
}
