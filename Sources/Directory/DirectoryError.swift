public import MatrixTypes
public import Rooms
public import Storage

/// Why an alias or directory request failed.
public enum DirectoryError: Error, Sendable {
    case aliasNotFound
    case aliasInUse
    case notLocalAlias
    case forbidden(String)
    /// What the room services said (an unknown room, a room the requester cannot see).
    case room(RoomError)
    /// The other server whose directory was asked could not be reached or gave no usable answer.
    case remoteUnavailable(String)
    case storage(StorageError)
}

extension DirectoryError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        switch error {
        case let error as RoomError: self = .room(error)
        default: self = .storage(StorageError(wrapping: error))
        }
    }
}

/// As Synapse answers; the room services' errors as they say.
extension DirectoryError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .aliasNotFound: .notFound("Room alias not found")
        case .aliasInUse: MatrixError(.roomInUse, "Room alias already taken")
        case .notLocalAlias: .invalidParameter("Room alias must be local")
        case .forbidden(let message): .forbidden(message)
        case .room(let error): error.clientError
        case .remoteUnavailable: MatrixError(.unknown, "Failed to query the remote server's directory", status: 502)
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        switch self {
        case .room(let error): error.serverFault
        case .storage(let error): "directory storage failed: \(error)"
        case .remoteUnavailable(let reason): "a remote directory could not be asked: \(reason)"
        default: nil
        }
    }
}
