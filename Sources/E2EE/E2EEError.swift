public import MatrixTypes
public import Storage

/// Why a key, device-list or to-device operation failed.
public enum E2EEError: Error, Sendable, Equatable {
    /// The request is well-formed JSON but says something the spec does not allow; the text says what.
    case invalid(String)
    /// A one-time key ID uploaded again with different content.
    case oneTimeKeyConflict(String)
    /// More than a request may ask or carry (keys uploaded, users queried, devices claimed, messages sent).
    case tooMany(String)
    /// A cross-signing key or signature that does not verify, or has nothing to verify it with.
    case invalidSignature(String)
    /// A `/keys/changes` token that is not one this server hands out.
    case badToken
    case storage(StorageError)
}

extension E2EEError {
    /// Refuses text holding a NUL, which PostgreSQL cannot store (it would fail as a storage error, a 500).
    static func refusingNUL(_ text: String, in field: String) throws(E2EEError) {
        guard !text.utf8.contains(0) else { throw .invalid("\(field) may not contain NUL") }
    }
}

extension E2EEError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(StorageError(wrapping: error))
    }
}

extension E2EEError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .invalid(let message), .oneTimeKeyConflict(let message), .tooMany(let message): .invalidParameter(message)
        case .invalidSignature(let message): MatrixError(.invalidSignature, message)
        case .badToken: .invalidParameter("Invalid stream token")
        case .storage: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        if case .storage(let error) = self { return "end-to-end encryption storage failed: \(error)" }
        return nil
    }
}
