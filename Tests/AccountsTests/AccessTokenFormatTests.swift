@testable import Accounts
import MatrixCrypto
import Testing

/// The token shape nginx relies on to pin `/sync` by user, and its check digits.
@Suite struct AccessTokenFormatTests {
    @Test func crc32MatchesZlib() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func base62UsesSynapsesAlphabet() {
        #expect(AccessTokenFormat.base62(0) == "")
        #expect(AccessTokenFormat.base62(61) == "z")
        #expect(AccessTokenFormat.base62(62) == "10")
        #expect(AccessTokenFormat.base62(UInt32.max) == "4gfFC3")
    }

    @Test func tokensCarryTheLocalpartAndValidCheckDigits() throws {
        let token = AccessTokenFormat.generate(localpart: "alice")
        let parts = token.split(separator: "_")
        try #require(parts.count == 4, "\(token)")
        #expect(parts[0] == "syt")
        #expect(UnpaddedBase64.decode(parts[1]) == Array("alice".utf8))
        #expect(parts[2].count == 20 && parts[2].allSatisfy(\.isLetter))
        let base = parts[0...2].joined(separator: "_")
        #expect(String(parts[3]) == AccessTokenFormat.base62(CRC32.checksum(Array(base.utf8))).leftPadded(to: 6))
        #expect(AccessTokenFormat.generate(localpart: "alice") != token, "tokens are random")
    }

    @Test func tokensAreStoredAsSHA256Hex() {
        #expect(TokenHash.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
