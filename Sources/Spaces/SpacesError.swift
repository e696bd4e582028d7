public import MatrixTypes
public import Rooms
public import Storage

/// Why a space hierarchy request failed.
public enum SpacesError: Error, Sendable {
    /// The requester may not see the root room (or it is unknown here and to the servers asked), as Synapse answers.
    case forbidden(String)
    /// Over federation: the room is not known here or not visible to the asking server.
    case notFound(String)
    /// A `from` token that is unknown, expired, or from a walk with other parameters.
    case invalidParameter(String)
    /// Another server asked for a hierarchy could not be reached or gave no usable answer.
    case remoteUnavailable(String)
    case room(RoomError)
    case storage(StorageError)
}

extension SpacesError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        switch error {
        case let error as RoomError: self = .room(error)
        default: self = .storage(StorageError(wrapping: error))
        }
    }
}

/// As Synapse answers; the room services' errors as they say.
extension SpacesError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .forbidden(let message): .forbidden(message)
        case .notFound(let message): .notFound(message)
        case .invalidParameter(let message): .invalidParameter(message)
        case .remoteUnavailable: MatrixError(.unknown, "Failed to fetch the room hierarchy from another server", status: 502)
        case .room(let error): error.clientError
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        switch self {
        case .room(let error): error.serverFault
        case .storage(let error): "space hierarchy storage failed: \(error)"
        case .remoteUnavailable(let reason): "a remote hierarchy could not be asked: \(reason)"
        default: nil
        }
    }
}
