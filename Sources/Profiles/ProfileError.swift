public import MatrixTypes
public import Storage

/// Why a profile request failed.
public enum ProfileError: Error, Sendable, Equatable {
    /// No such local user.
    case notFound
    case forbidden(String)
    /// A display name or avatar URL too long or holding a NUL.
    case invalid(String)
    /// The user's server could not be asked (over federation).
    case remoteUnavailable(String)
    case storage(StorageError)
}

extension ProfileError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}

/// As Synapse answers.
extension ProfileError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notFound: .notFound("Profile was not found")
        case .forbidden(let message): .forbidden(message)
        case .invalid(let message): .invalidParameter(message)
        case .remoteUnavailable: MatrixError(.unknown, "Failed to fetch profile", status: 502)
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "profile storage failed: \(error)" }
        if case .remoteUnavailable(let reason) = self { return "a remote profile could not be fetched: \(reason)" }
        return nil
    }
}
