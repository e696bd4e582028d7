public import MatrixTypes
public import Storage

/// Why a filter operation failed.
public enum FilterError: Error, Sendable, Equatable {
    /// Filters are created and read by their owner only.
    case forbidden(String)
    case notFound
    /// `/sync` named a stored filter that does not exist: a bad parameter there, as Synapse answers.
    case unknownSyncFilter
    /// The filter does not fit the spec's definition; the text says where.
    case invalid(String)
    case storage(StorageError)
}

extension FilterError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}

/// As Synapse answers.
extension FilterError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .forbidden(let message): .forbidden(message)
        case .notFound: .notFound("No such filter")
        case .unknownSyncFilter: .invalidParameter("No such filter")
        case .invalid(let problem): .badJSON(problem)
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "filter storage failed: \(error)" }
        return nil
    }
}
