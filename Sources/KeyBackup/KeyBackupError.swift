public import MatrixTypes
public import Storage

/// Why a key backup operation failed.
public enum KeyBackupError: Error, Sendable, Equatable {
    /// The user has no backup that is not deleted.
    case noCurrentVersion
    /// No backup of the user has this version, or it was deleted.
    case unknownVersion
    /// Keys go only to the current backup, whose version the client is told.
    case wrongVersion(current: String)
    /// An update must keep the backup's algorithm.
    case algorithmMismatch
    /// An update's body named another version than its path.
    case versionMismatch
    /// The backup holds no key for that session.
    case keyNotFound
    /// A room or session ID that cannot name one.
    case invalidIdentifier(String)
    /// The body does not fit the spec's definition; the text says where.
    case invalid(String)
    /// More sessions in one upload than `KeyBackupService.maximumSessionsPerUpload`.
    case tooManySessions(limit: Int)
    case storage(StorageError)
}

extension KeyBackupError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}

/// As Synapse answers, and with the current version in `M_WRONG_ROOM_KEYS_VERSION` as the spec asks.
extension KeyBackupError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .noCurrentVersion: .notFound("No current backup version")
        case .unknownVersion: .notFound("Unknown backup version")
        case .wrongVersion: MatrixError(.wrongRoomKeysVersion, "Wrong room_keys version")
        case .algorithmMismatch: .invalidParameter("Algorithm does not match")
        case .versionMismatch: .invalidParameter("Version in body does not match")
        case .keyNotFound: .notFound("No room_keys found")
        case .invalidIdentifier(let problem): .invalidParameter(problem)
        case .invalid(let problem): .badJSON(problem)
        case .tooManySessions(let limit): MatrixError(.tooLarge, "An upload may hold at most \(limit) sessions")
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var responseBody: JSONValue? {
        guard case .wrongVersion(let current) = self else { return nil }
        let error = clientError
        return ["errcode": .string(error.code.rawValue), "error": .string(error.message), "current_version": .string(current)]
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "key backup storage failed: \(error)" }
        return nil
    }
}
