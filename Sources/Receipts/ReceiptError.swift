public import AccountData
public import MatrixTypes
public import Rooms
public import Storage

/// Why posting a receipt or read marker failed.
public enum ReceiptError: Error, Sendable {
    case invalidThreadID
    case unknownReceiptType
    /// What the room services said of the event a marker names (unknown, or not visible to the user).
    case room(RoomError)
    /// Storing `m.fully_read` failed.
    case accountData(AccountDataError)
    case storage(StorageError)
}

extension ReceiptError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        switch error {
        case let error as RoomError: self = .room(error)
        case let error as AccountDataError: self = .accountData(error)
        default: self = .storage(StorageError(wrapping: error))
        }
    }
}

/// As Synapse answers; the room's and account data's own errors as they say.
extension ReceiptError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .invalidThreadID: .invalidParameter("Invalid thread_id")
        case .unknownReceiptType: .invalidParameter("Receipt type must be m.read, m.read.private or m.fully_read")
        case .room(let error): error.clientError
        case .accountData(let error): error.clientError
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        switch self {
        case .room(let error): error.serverFault
        case .accountData(let error): error.serverFault
        case .storage(let error): "receipt storage failed: \(error)"
        default: nil
        }
    }
}
