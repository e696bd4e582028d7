@testable import Accounts
import Testing

/// The MAC must match what Synapse's `register_new_matrix_user` computes (vectors from Python's `hmac`).
@Suite struct SharedSecretMACTests {
    @Test func matchesPythonHMACSHA1() {
        #expect(
            SharedSecretMAC.hex(secret: "shared secret", nonce: "abcdef", username: "alice", password: "pass word", admin: true, userType: nil)
                == "fa2cf452804f87d519c768cb88b80ce78bc55566"
        )
        #expect(
            SharedSecretMAC.hex(secret: "shared secret", nonce: "abcdef", username: "bot1", password: "pw", admin: false, userType: "bot")
                == "031b26e15ce476a3bdc202089391e2d9f5dd9841"
        )
    }

    @Test func comparisonNeedsEveryByte() {
        let mac = "fa2cf452804f87d519c768cb88b80ce78bc55566"
        #expect(SharedSecretMAC.matches(mac, expected: mac))
        #expect(!SharedSecretMAC.matches("fa2cf452804f87d519c768cb88b80ce78bc55567", expected: mac))
        #expect(!SharedSecretMAC.matches(String(mac.dropLast()), expected: mac))
        #expect(!SharedSecretMAC.matches("", expected: mac))
    }
}
