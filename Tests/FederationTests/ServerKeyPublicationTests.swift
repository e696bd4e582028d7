import Foundation
import AxonTesting
import Federation
import MatrixCrypto
import MatrixTypes
import Testing

/// This server's key document: signed with the current key, listing retired keys, valid for the refresh interval.
struct ServerKeyPublicationTests {
    let serverName = try! ServerName("keys.example")
    let key = try! SigningKey(seed: Array(repeating: 3, count: 32), version: "now")
    let retired = try! SigningKey(seed: Array(repeating: 4, count: 32), version: "before")

    func publication() -> ServerKeyPublication {
        ServerKeyPublication(
            serverName: serverName, signingKey: key,
            retired: [.init(key: retired.verifyKey, expiredTimestamp: 1_600_000_000_000), .init(key: key.verifyKey, expiredTimestamp: 1)],
            validity: 86_400_000, clock: { 1_700_000_000_000 }
        )
    }

    @Test func theDocumentIsSelfSignedAndListsTheCurrentAndRetiredKeys() throws {
        let document = try publication().document()
        try key.verifyKey.verify(json: document, signedBy: serverName.rawValue)
        #expect(document["server_name"] == "keys.example")
        #expect(document["valid_until_ts"] == .integer(1_700_086_400_000))
        #expect(document["verify_keys"] == .object(["ed25519:now": ["key": .string(key.verifyKey.base64)]]))
        #expect(
            document["old_verify_keys"]
                == .object(["ed25519:before": ["key": .string(retired.verifyKey.base64), "expired_ts": 1_600_000_000_000]]),
            "the current key is never listed as retired"
        )
    }

    /// Events this server signed come back from other servers: the current key checks any of them, a retired one
    /// those sent until it stopped.
    @Test func ownKeysAreFoundAsOtherServersFindThem() {
        let keys = publication()
        #expect(keys.verifyKey("ed25519:now", validAt: 1_800_000_000_000) == key.verifyKey)
        #expect(keys.verifyKey("ed25519:before", validAt: 1_600_000_000_000) == retired.verifyKey)
        #expect(keys.verifyKey("ed25519:before", validAt: 0) == retired.verifyKey)
        #expect(keys.verifyKey("ed25519:before", validAt: 1_600_000_000_001) == nil)
        #expect(keys.verifyKey("ed25519:other", validAt: 0) == nil)
    }

    @Test(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
    func synapseAcceptsTheDocument() async throws {
        let python = try #require(TestEnvironment.synapsePython)
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/federation_signatures.py").path
        let document = String(decoding: try publication().document().encoded(), as: UTF8.self)
        let checked = try await ChildProcess.run(python, [script, "verify-keys", serverName.rawValue], input: document)
        #expect(checked.status == 0, "\(checked.output)")
        #expect(checked.output.trimmingCharacters(in: .whitespacesAndNewlines) == "ed25519:now ed25519:before")
    }
}
