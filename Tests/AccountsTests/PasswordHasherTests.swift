@testable import Accounts
import Testing

/// Argon2id through libsodium, and the cost derived from `bcrypt_rounds`.
@Suite struct PasswordHasherTests {
    @Test func hashesAreArgon2idAndVerify() async throws {
        let hasher = PasswordHasher(cost: PasswordCost(bcryptRounds: 4))
        let hash = try await hasher.hash("correct horse")
        #expect(hash.hasPrefix("$argon2id$v=19$m=256,t=2,p=1$"), "\(hash)")
        #expect(try await hasher.verify("correct horse", against: hash))
        #expect(try await !hasher.verify("correct horsE", against: hash))
        #expect(try await hasher.hash("correct horse") != hash, "each hash has its own salt")
    }

    @Test func passwordsWithNULAndNonASCIIAreHashedWhole() async throws {
        let hasher = PasswordHasher(cost: PasswordCost(bcryptRounds: 4))
        let hash = try await hasher.hash("pass\0word ü")
        #expect(try await hasher.verify("pass\0word ü", against: hash))
        #expect(try await !hasher.verify("pass", against: hash), "a NUL does not end the password")
        #expect(try await hasher.verify("", against: try await hasher.hash("")))
    }

    @Test func hashesFromAnotherCostStillVerify() async throws {
        let cheap = try await PasswordHasher(cost: PasswordCost(bcryptRounds: 4)).hash("pw")
        #expect(try await PasswordHasher(cost: PasswordCost(bcryptRounds: 6)).verify("pw", against: cheap))
    }

    @Test func foreignOrCorruptHashesNeverVerify() async throws {
        let hasher = PasswordHasher(cost: PasswordCost(bcryptRounds: 4))
        #expect(try await !hasher.verify("pw", against: "$2b$12$notabcrypthashthatlibsodiumknows"))
        #expect(try await !hasher.verify("pw", against: ""))
        #expect(try await !hasher.verify("pw", against: String(repeating: "x", count: 500)))
    }

    @Test(arguments: [
        (12, 2, 64 * 1024 * 1024), (11, 2, 32 * 1024 * 1024), (4, 2, 256 * 1024), (14, 4, 64 * 1024 * 1024),
    ])
    func costFollowsBcryptRounds(rounds: Int, passes: UInt64, memory: Int) {
        let cost = PasswordCost(bcryptRounds: rounds)
        #expect(cost.passes == passes)
        #expect(cost.memoryBytes == memory)
    }
}
