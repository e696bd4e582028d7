import CSodium
import NIOPosix

/// Hashes and checks passwords with Argon2id through libsodium. Both are deliberately slow, blocking C calls,
/// so they run on NIO's blocking-work thread pool, never on an event loop or the cooperative pool.
public struct PasswordHasher: Sendable {
    let cost: PasswordCost
    private let pool: NIOThreadPool

    /// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
    private static let sodiumReady: Bool = sodium_init() >= 0

    public init(cost: PasswordCost, pool: NIOThreadPool = .singleton) {
        precondition(Self.sodiumReady, "libsodium failed to initialise")
        self.cost = cost
        self.pool = pool
    }

    /// The PHC string (`$argon2id$v=19$m=…,t=…,p=1$…`), which carries its own salt and parameters.
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await pool.runIfActive { try Self.hashBlocking(password, cost: cost) }
    }

    /// Whether `password` matches `storedHash`; hashes from any earlier cost setting still verify.
    public func verify(_ password: String, against storedHash: String) async throws -> Bool {
        try await pool.runIfActive { Self.verifyBlocking(password, storedHash: storedHash) }
    }

    private static func hashBlocking(_ password: String, cost: PasswordCost) throws -> String {
        var output = [CChar](repeating: 0, count: crypto_pwhash_strbytes())
        let status = withPasswordBytes(password) { bytes, count in
            crypto_pwhash_str_alg(&output, bytes, count, cost.passes, cost.memoryBytes, crypto_pwhash_alg_argon2id13())
        }
        guard status == 0 else { throw PasswordHashingError() }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func verifyBlocking(_ password: String, storedHash: String) -> Bool {
        var stored = Array(storedHash.utf8.map { CChar(bitPattern: $0) })
        guard stored.count < crypto_pwhash_strbytes() else { return false }
        stored.append(contentsOf: [CChar](repeating: 0, count: crypto_pwhash_strbytes() - stored.count))
        return withPasswordBytes(password) { bytes, count in crypto_pwhash_str_verify(stored, bytes, count) == 0 }
    }

    /// The password's UTF-8 bytes with their length; a NUL inside the password is kept, not a terminator.
    private static func withPasswordBytes<T>(_ password: String, _ body: (UnsafePointer<CChar>, UInt64) -> T) -> T {
        let bytes = password.utf8.map { CChar(bitPattern: $0) } + [0]
        return bytes.withUnsafeBufferPointer { buffer in body(buffer.baseAddress!, UInt64(buffer.count - 1)) }
    }
}

/// libsodium could not hash (it ran out of memory for the configured cost).
struct PasswordHashingError: Error, CustomStringConvertible {
    var description: String { "Argon2id hashing failed; the configured bcrypt_rounds may need more memory than is available" }
}
