/// Argon2id work factors derived from Synapse's `bcrypt_rounds`, so one config key tunes both servers.
///
/// Round 12 (Synapse's default) is libsodium's "interactive" level: two passes over 64 MiB. Each round below
/// halves the memory, as each bcrypt round halves the work, so tests at round 4 hash in well under a
/// millisecond; each round above adds a pass.
public struct PasswordCost: Sendable, Hashable {
    public let passes: UInt64
    public let memoryBytes: Int

    static let interactiveRounds = 12
    static let interactiveMemory = 64 * 1024 * 1024
    /// libsodium's `crypto_pwhash_argon2id_MEMLIMIT_MIN`.
    static let minimumMemory = 8192

    public init(bcryptRounds: Int) {
        passes = 2 + UInt64(max(0, bcryptRounds - Self.interactiveRounds))
        memoryBytes = max(Self.minimumMemory, Self.interactiveMemory >> min(20, max(0, Self.interactiveRounds - bcryptRounds)))
    }
}
