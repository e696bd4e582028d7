import MatrixCrypto
import MatrixTypes
import Testing

@Suite("Event hashing and signing")
struct EventSigningTests {
    static let minimalEvent = """
        {
            "room_id": "!x:domain",
            "sender": "@a:domain",
            "origin": "domain",
            "origin_server_ts": 1000000,
            "signatures": {},
            "hashes": {},
            "type": "X",
            "content": {},
            "prev_events": [],
            "auth_events": [],
            "depth": 3,
            "unsigned": {
                "age_ts": 1000000
            }
        }
        """

    static let minimalEventSigned = """
        {
            "auth_events": [],
            "content": {},
            "depth": 3,
            "hashes": {
                "sha256": "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"
            },
            "origin": "domain",
            "origin_server_ts": 1000000,
            "prev_events": [],
            "room_id": "!x:domain",
            "sender": "@a:domain",
            "signatures": {
                "domain": {
                    "ed25519:1": "KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg"
                }
            },
            "type": "X",
            "unsigned": {
                "age_ts": 1000000
            }
        }
        """

    static let messageEvent = """
        {
            "content": {
                "body": "Here is the message content"
            },
            "event_id": "$0:domain",
            "origin": "domain",
            "origin_server_ts": 1000000,
            "type": "m.room.message",
            "room_id": "!r:domain",
            "sender": "@u:domain",
            "signatures": {},
            "unsigned": {
                "age_ts": 1000000
            }
        }
        """

    static let messageEventSigned = """
        {
            "content": {
                "body": "Here is the message content"
            },
            "event_id": "$0:domain",
            "hashes": {
                "sha256": "onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g"
            },
            "origin": "domain",
            "origin_server_ts": 1000000,
            "type": "m.room.message",
            "room_id": "!r:domain",
            "sender": "@u:domain",
            "signatures": {
                "domain": {
                    "ed25519:1": "Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA"
                }
            },
            "unsigned": {
                "age_ts": 1000000
            }
        }
        """

    /// The appendix's "Event Signing" vectors; they predate room v11, whose redaction drops `origin`.
    @Test(arguments: [(minimalEvent, minimalEventSigned), (messageEvent, messageEventSigned)])
    func matchesTheSpecVectors(input: String, expected: String) throws {
        let key = try SpecSigningKey.key()
        let signed = try key.hashAndSign(event: JSONValue.parse(input), as: "domain", version: .v1)
        let expectedValue = try JSONValue.parse(expected)
        #expect(signed == expectedValue)
        #expect(try signed.canonicalEncoded() == expectedValue.canonicalEncoded())
        #expect(EventHashes.hasValidContentHash(signed))
        try key.verifyKey.verify(event: signed, signedBy: "domain", version: .v1)
    }

    @Test func signatureSurvivesRedactionButContentHashDoesNot() throws {
        let key = try SpecSigningKey.key()
        let signed = try key.hashAndSign(event: JSONValue.parse(Self.messageEvent), as: "domain", version: .v1)
        let redacted = try EventRedaction.redact(signed, rules: .v1)
        #expect(redacted["content"] == [:])
        try key.verifyKey.verify(event: redacted, signedBy: "domain", version: .v1)
        #expect(!EventHashes.hasValidContentHash(redacted))

        var tampered = signed
        tampered["origin_server_ts"] = 1
        #expect(throws: SignatureVerificationError.invalidSignature(entity: "domain", keyID: "ed25519:1")) {
            try key.verifyKey.verify(event: tampered, signedBy: "domain", version: .v1)
        }
    }

    @Test func contentHashIgnoresUnsignedSignaturesAndHashes() throws {
        let event = try JSONValue.parse(Self.minimalEvent)
        var decorated = event
        decorated["unsigned"] = ["age": 12]
        decorated["signatures"] = ["x": ["ed25519:y": "z"]]
        decorated["hashes"] = ["sha256": "other"]
        #expect(try EventHashes.contentHash(of: decorated) == EventHashes.contentHash(of: event))
        #expect(UnpaddedBase64.encode(try EventHashes.contentHash(of: event)) == "5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos")
    }

    /// Synapse hashes floats (rooms v1–v5 allow them) as Python writes them; only non-finite ones have no encoding.
    @Test func hashingRefusesWhatHasNoEncoding() throws {
        #expect(throws: EventHashingError.notAnObject) { try EventHashes.contentHash(of: [1]) }
        #expect(throws: EventHashingError.self) { try EventHashes.contentHash(of: ["depth": .double(.nan)]) }
        // Synapse's compute_content_hash({"n": 1e-5}): the hash of `{"n":1e-05}`.
        #expect(UnpaddedBase64.encode(try EventHashes.contentHash(of: ["n": 1e-5])) == "pKr/TLJ3a9gn0+ahSlTMxTTKa2LjZXn8HFO1N8iXUqQ")
        let key = try SpecSigningKey.key()
        #expect(throws: EventHashingError.malformedHashes) {
            try key.hashAndSign(event: ["hashes": "x"], as: "domain", version: .v12)
        }
    }
}
