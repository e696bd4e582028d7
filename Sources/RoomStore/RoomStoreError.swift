public import MatrixTypes
public import Storage

/// Why a room store operation failed.
public enum RoomStoreError: Error, Sendable, Hashable {
    case storage(StorageError)
    /// An event's state was described relative to an event with no recorded state (unknown, or an outlier).
    case noStateFor(EventID)
    /// A stored identifier no longer parses (the row was written by something other than this store).
    case corruptIdentifier(String)
}

extension RoomStoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .storage(let error): "\(error)"
        case .noStateFor(let eventID): "no state is recorded for event \(eventID)"
        case .corruptIdentifier(let value): "stored identifier does not parse: \(value)"
        }
    }
}

extension RoomStoreError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}
