/// Why a new password (at registration or when changing it) was refused.
public enum PasswordError: Error, Sendable, Equatable {
    /// Longer than 512 characters.
    case tooLong
    /// Holds a NUL, which no login could ever send back.
    case containsNUL
    /// Neither this request nor an earlier one in its session gave a password.
    case missing

    static let maximumLength = 512

    /// Checks a password a client proposes; empty counts as none, as in Synapse.
    static func check(_ password: String?) throws(PasswordError) -> String? {
        guard let password, !password.isEmpty else { return nil }
        guard password.unicodeScalars.count <= maximumLength else { throw .tooLong }
        guard !password.utf8.contains(0) else { throw .containsNUL }
        return password
    }
}
