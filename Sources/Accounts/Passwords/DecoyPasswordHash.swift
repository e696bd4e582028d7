import MatrixTypes
import Synchronization

/// A hash of a random password at the configured cost, checked whenever a login has no real hash to check
/// (unknown user, third-party identifier, account without a password). A failed login then costs the same
/// Argon2 run whether or not the account exists, so response times do not tell which accounts do.
final class DecoyPasswordHash: Sendable {
    private let hasher: PasswordHasher
    private let computed = Mutex<String?>(nil)

    init(hasher: PasswordHasher) {
        self.hasher = hasher
    }

    /// Hashed on first use rather than at startup, so processes that never check a password never pay for it.
    func value() async throws -> String {
        if let hash = computed.withLock({ $0 }) { return hash }
        let hash = try await hasher.hash(SecureRandom.letters(32))
        return computed.withLock { stored in
            if stored == nil { stored = hash }
            return stored ?? hash
        }
    }
}
