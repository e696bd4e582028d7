public import MatrixTypes
public import Storage

/// Why an account-data operation failed.
public enum AccountDataError: Error, Sendable, Equatable {
    /// Nothing of that type is stored (or only an empty object, which is how a client deletes).
    case notFound
    /// `m.ignored_user_list` naming its own owner.
    case cannotIgnoreSelf
    case storage(StorageError)
}

extension AccountDataError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}

/// As Synapse answers.
extension AccountDataError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notFound: .notFound("Account data not found")
        case .cannotIgnoreSelf: .invalidParameter("You cannot ignore yourself")
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "account data storage failed: \(error)" }
        return nil
    }
}
