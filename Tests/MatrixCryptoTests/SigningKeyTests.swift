import MatrixCrypto
import Testing

@Suite("Signing keys")
struct SigningKeyTests {
    @Test func specKeyHasTheExpectedIdentity() throws {
        let key = try SpecSigningKey.key()
        #expect(key.keyID == "ed25519:1")
        // The spec's seed string has non-zero trailing bits, so it decodes but does not re-encode identically.
        #expect(key.seed == UnpaddedBase64.decode(SpecSigningKey.seedBase64))
        #expect(UnpaddedBase64.encode(key.seed) == "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0")
        #expect(key.verifyKey.keyID == "ed25519:1")
        #expect(key.verifyKey.publicKeyBytes.count == 32)
        #expect(try VerifyKey(keyID: "ed25519:1", base64: key.verifyKey.base64) == key.verifyKey)
    }

    @Test func generatedKeysUseSynapseStyleVersions() throws {
        let key = try SigningKey.generate()
        #expect(key.version.hasPrefix("a_"))
        #expect(key.version.count == 6)
        #expect(key.keyID == "ed25519:\(key.version)")
        #expect(try SigningKey.generate(version: "custom_1").keyID == "ed25519:custom_1")
        #expect(try SigningKey.generate().seed != key.seed)
    }

    @Test(arguments: ["", "a:b", "a-b", "é", "a b"])
    func rejectsVersionsOutsideTheGrammar(version: String) {
        #expect(throws: SigningKeyError.invalidVersion(version)) { try SigningKey.generate(version: version) }
    }

    @Test func rejectsSeedsOfTheWrongLength() {
        #expect(throws: SigningKeyError.invalidSeedLength(31)) {
            try SigningKey(seed: [UInt8](repeating: 1, count: 31), version: "a")
        }
    }

    @Test func signaturesVerifyOnlyForTheSignedMessage() throws {
        let key = try SpecSigningKey.key()
        let message = Array("hello".utf8)
        let signature = key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.verifyKey.isValidSignature(signature, for: message))
        #expect(!key.verifyKey.isValidSignature(signature, for: Array("hellp".utf8)))
        #expect(!key.verifyKey.isValidSignature(Array(signature.dropLast()), for: message))
    }

    @Test func rejectsMalformedPublicKeys() {
        #expect(throws: VerifyKeyError.self) { try VerifyKey(keyID: "ed25519:x", base64: "not base64!") }
        #expect(throws: VerifyKeyError.self) { try VerifyKey(keyID: "ed25519:x", base64: "AAAA") }
    }
}

@Suite("Signing key file")
struct SigningKeyFileTests {
    @Test func readsSynapseFormat() throws {
        let keys = try SigningKey.parseKeyFile("ed25519 1 \(SpecSigningKey.seedBase64)\n")
        #expect(keys.count == 1)
        #expect(keys[0].keyID == "ed25519:1")
        #expect(keys[0].seed == (try SpecSigningKey.key().seed))
    }

    @Test func toleratesBlankLinesAndCarriageReturns() throws {
        let contents = "\n\red25519 a_AbCd \(SpecSigningKey.seedBase64)\r\n\n  \ned25519 b \(SpecSigningKey.seedBase64)=\n\n"
        let keys = try SigningKey.parseKeyFile(contents)
        #expect(keys.map(\.keyID) == ["ed25519:a_AbCd", "ed25519:b"])
    }

    @Test func writesWhatItReads() throws {
        let generated = [try SigningKey.generate(), try SigningKey.generate(version: "old")]
        let contents = SigningKey.keyFileContents(generated)
        #expect(contents.hasSuffix("\n"))
        #expect(contents.split(separator: "\n").first == Substring(generated[0].keyFileLine))
        let reread = try SigningKey.parseKeyFile(contents)
        #expect(reread.map(\.keyID) == generated.map(\.keyID))
        #expect(reread.map(\.seed) == generated.map(\.seed))
    }

    @Test func errorsNameTheLine() {
        let cases: [(String, Int?, String)] = [
            ("ed25519 1 \(SpecSigningKey.seedBase64)\ned25519 2\n", 2, "expected '<algorithm> <version> <base64 seed>'"),
            ("\ncurve448 1 \(SpecSigningKey.seedBase64)", 2, "unsupported key algorithm 'curve448'"),
            ("ed25519 1 !!!!", 1, "the key is not valid base64"),
            ("ed25519 1 AAAA", 1, "An Ed25519 seed is 32 bytes, not 3"),
            ("ed25519 a:b \(SpecSigningKey.seedBase64)", 1, "Key version 'a:b' must be non-empty and use only [a-zA-Z0-9_]"),
            ("\n\n", nil, "the file contains no signing key"),
        ]
        for (contents, line, message) in cases {
            #expect(throws: SigningKeyFileError(line: line, message)) { try SigningKey.parseKeyFile(contents) }
        }
        #expect(SigningKeyFileError(line: 3, "bad").description == "Signing key file, line 3: bad")
    }
}
