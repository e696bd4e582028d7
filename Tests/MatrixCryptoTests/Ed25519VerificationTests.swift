import MatrixCrypto
import MatrixTypes
import Testing

/// Signature checks must refuse exactly what libsodium's `crypto_sign_verify_detached` refuses (Synapse verifies
/// through it): a signature one server accepts and another refuses splits the room.
@Suite("Ed25519 verification matches libsodium")
struct Ed25519VerificationTests {
    /// The group's identity point, encoded: y = 1, x = 0. It has order 1, the smallest small order.
    static let identityPoint: [UInt8] = [0x01] + [UInt8](repeating: 0, count: 31)
    /// The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian.
    static let groupOrder: [UInt8] = [
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]

    /// With A = R = identity and S = 0 the verification equation [S]B = R + [k]A holds for every message, so a
    /// library without libsodium's small-order checks accepts this "signature" on anything.
    @Test(arguments: ["", "hello", #"{"signed":"anything"}"#])
    func identityKeyWithIdentitySignatureVerifiesNothing(message: String) throws {
        let key = try VerifyKey(keyID: "ed25519:evil", publicKeyBytes: Self.identityPoint)
        let signature = Self.identityPoint + [UInt8](repeating: 0, count: 32)
        #expect(!key.isValidSignature(signature, for: Array(message.utf8)))
    }

    @Test func identityKeySignatureIsRefusedOnJSON() throws {
        let key = try VerifyKey(keyID: "ed25519:evil", publicKeyBytes: Self.identityPoint)
        let signature = UnpaddedBase64.encode(Self.identityPoint + [UInt8](repeating: 0, count: 32))
        let object: JSONValue = ["content": "forged", "signatures": ["evil.org": ["ed25519:evil": .string(signature)]]]
        #expect(throws: SignatureVerificationError.invalidSignature(entity: "evil.org", keyID: "ed25519:evil")) {
            try key.verify(json: object, signedBy: "evil.org")
        }
    }

    /// S + L verifies algebraically (L·B is the identity), but it is not the canonical encoding of S.
    @Test func signatureWithSPlusLIsRefused() throws {
        let key = try SpecSigningKey.key()
        let message = Array("malleable".utf8)
        let signature = key.signature(for: message)
        #expect(key.verifyKey.isValidSignature(signature, for: message))
        let malleated = Array(signature[..<32]) + Self.adding(Self.groupOrder, to: Array(signature[32...]))
        #expect(malleated != signature)
        #expect(!key.verifyKey.isValidSignature(malleated, for: message))
    }

    @Test func validSignaturesStillVerify() throws {
        let key = try SpecSigningKey.key()
        for message in ["", "a", String(repeating: "x", count: 10_000)].map({ Array($0.utf8) }) {
            #expect(key.verifyKey.isValidSignature(key.signature(for: message), for: message))
        }
        let signed = try key.sign(json: ["a": 1], as: "domain")
        try key.verifyKey.verify(json: signed, signedBy: "domain")
    }

    /// Little-endian addition of two 32-byte numbers whose sum fits in 32 bytes.
    private static func adding(_ lhs: [UInt8], to rhs: [UInt8]) -> [UInt8] {
        var carry: UInt16 = 0
        return zip(lhs, rhs).map { left, right in
            let sum = UInt16(left) + UInt16(right) + carry
            carry = sum >> 8
            return UInt8(sum & 0xFF)
        }
    }
}
