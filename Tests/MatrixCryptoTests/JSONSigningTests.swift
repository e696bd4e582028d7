import MatrixCrypto
import MatrixTypes
import Testing

@Suite("JSON signing")
struct JSONSigningTests {
    /// The appendix's "JSON Signing" vectors: input object and the signature expected from `ed25519:1`.
    static let specVectors: [(String, String)] = [
        ("{}", "K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ"),
        (#"{"one": 1, "two": "Two"}"#, "KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw"),
    ]

    @Test(arguments: specVectors)
    func matchesTheSpecVectors(input: String, signature: String) throws {
        let key = try SpecSigningKey.key()
        let signed = try key.sign(json: try JSONValue.parse(input), as: SpecSigningKey.serverName)
        var expected = try JSONValue.parse(input)
        expected["signatures"] = ["domain": ["ed25519:1": .string(signature)]]
        #expect(signed == expected)
        try key.verifyKey.verify(json: signed, signedBy: "domain")
    }

    @Test func signatureIgnoresUnsignedAndExistingSignatures() throws {
        let key = try SpecSigningKey.key()
        let object: JSONValue = [
            "one": 1, "two": "Two",
            "unsigned": ["age_ts": 922_834_800_000],
            "signatures": ["other.org": ["ed25519:x": "c2ln"]],
        ]
        let signed = try key.sign(json: object, as: "domain")
        #expect(signed["signatures"]?["domain"]?["ed25519:1"] == .string(Self.specVectors[1].1))
        #expect(signed["signatures"]?["other.org"]?["ed25519:x"] == "c2ln")
        #expect(signed["unsigned"] == object["unsigned"])
        var withNewUnsigned = signed
        withNewUnsigned["unsigned"] = ["age": 5]
        try key.verifyKey.verify(json: withNewUnsigned, signedBy: "domain")
    }

    @Test func verificationReportsWhatIsWrong() throws {
        let key = try SpecSigningKey.key()
        let signed = try key.sign(json: ["one": 1], as: "domain")
        let verifyKey = key.verifyKey

        #expect(throws: SignatureVerificationError.missingSignature(entity: "elsewhere", keyID: "ed25519:1")) {
            try verifyKey.verify(json: signed, signedBy: "elsewhere")
        }
        var tampered = signed
        tampered["one"] = 2
        #expect(throws: SignatureVerificationError.invalidSignature(entity: "domain", keyID: "ed25519:1")) {
            try verifyKey.verify(json: tampered, signedBy: "domain")
        }
        var garbled = signed
        garbled["signatures"] = ["domain": ["ed25519:1": "***"]]
        #expect(throws: SignatureVerificationError.malformedSignature(entity: "domain", keyID: "ed25519:1")) {
            try verifyKey.verify(json: garbled, signedBy: "domain")
        }
        var withFloat = signed
        withFloat["f"] = 1.5
        #expect(throws: SignatureVerificationError.self) { try verifyKey.verify(json: withFloat, signedBy: "domain") }
        #expect(throws: SignatureVerificationError.notAnObject) { try verifyKey.verify(json: [1], signedBy: "domain") }
        let otherKey = try SigningKey.generate(version: "1").verifyKey
        #expect(throws: SignatureVerificationError.invalidSignature(entity: "domain", keyID: "ed25519:1")) {
            try otherKey.verify(json: signed, signedBy: "domain")
        }
    }

    @Test func signingRefusesWhatCannotBeSigned() throws {
        let key = try SpecSigningKey.key()
        #expect(throws: JSONSigningError.notAnObject) { try key.sign(json: "text", as: "domain") }
        #expect(throws: JSONSigningError.malformedSignatures) { try key.sign(json: ["signatures": 1], as: "domain") }
        #expect(throws: JSONSigningError.self) { try key.sign(json: ["n": .double(.infinity)], as: "domain") }
    }

    /// signedjson signs whatever Python's JSON encoder writes, so large integers and floats sign as Synapse writes them.
    @Test func signsLegacyNumbersAsSynapseWritesThem() throws {
        let object: JSONValue = ["big": .integer(.max), "huge": .bigInteger("-18446744073709551616"), "float": 1e16]
        #expect(try object.signableBytes() == Array(#"{"big":9223372036854775807,"float":1e+16,"huge":-18446744073709551616}"#.utf8))
        let key = try SpecSigningKey.key()
        try key.verifyKey.verify(json: try key.sign(json: object, as: "domain"), signedBy: "domain")
    }
}
