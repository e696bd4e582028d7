public import MatrixTypes
public import RoomStore
public import Storage

/// Why a presence request was refused.
public enum PresenceError: Error, Sendable {
    case notOwnState
    case invalidState
    /// The user shares no room with the one asking.
    case notVisible
    /// Reading memberships failed.
    case storage(RoomStoreError)
}

extension PresenceError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(error as? RoomStoreError ?? RoomStoreError(wrapping: error))
    }
}

/// As Synapse answers.
extension PresenceError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notOwnState: .forbidden("Can only set your own presence state")
        case .invalidState: .invalidParameter("Invalid presence state")
        case .notVisible: .forbidden("You are not allowed to see their presence.")
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "presence storage failed: \(error)" }
        return nil
    }
}
