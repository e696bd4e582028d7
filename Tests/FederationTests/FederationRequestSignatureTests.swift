import Foundation
import AxonTesting
import Federation
import MatrixCrypto
import MatrixTypes
import Testing

/// A request's signature covers its method, target, both server names and its body; only the origin's key checks it.
struct FederationRequestSignatureTests {
    let origin = try! ServerName("origin.example")
    let receiver = try! ServerName("receiver.example")
    let key = try! SigningKey(seed: Array(repeating: 7, count: 32), version: "a1")
    let content: JSONValue = ["pdus": [], "edus": [["edu_type": "m.typing", "content": ["typing": true]]]]

    func header(method: String = "PUT", uri: String = "/_matrix/federation/v1/send/1", content: JSONValue? = nil) throws -> XMatrixAuthorization {
        try FederationRequestSignature.authorization(
            method: method, uri: uri, origin: origin, destination: receiver.rawValue, content: content ?? self.content, key: key
        )
    }

    @Test func aSignedRequestVerifiesAsSent() throws {
        let authorization = try header()
        try FederationRequestSignature.verify(
            authorization, method: "PUT", uri: "/_matrix/federation/v1/send/1", receiver: receiver, content: content, key: key.verifyKey
        )
        #expect(XMatrixAuthorization(header: authorization.headerValue) == authorization)
    }

    @Test func anyChangeToWhatWasSignedBreaksTheSignature() throws {
        let authorization = try header()
        let changes: [(method: String, uri: String, content: JSONValue?)] = [
            ("POST", "/_matrix/federation/v1/send/1", content),
            ("PUT", "/_matrix/federation/v1/send/2", content),
            ("PUT", "/_matrix/federation/v1/send/1?x=1", content),
            ("PUT", "/_matrix/federation/v1/send/1", ["pdus": []]),
            ("PUT", "/_matrix/federation/v1/send/1", nil),
        ]
        for change in changes {
            #expect(throws: FederationAuthError.badSignature) {
                try FederationRequestSignature.verify(
                    authorization, method: change.method, uri: change.uri, receiver: receiver, content: change.content, key: key.verifyKey
                )
            }
        }
        var forged = authorization
        forged.origin = try ServerName("other.example")
        #expect(throws: FederationAuthError.badSignature) {
            try FederationRequestSignature.verify(
                forged, method: "PUT", uri: "/_matrix/federation/v1/send/1", receiver: receiver, content: content, key: key.verifyKey
            )
        }
    }

    @Test func aRequestForAnotherServerOrUnderAnotherKeyIsRefused() throws {
        let authorization = try header()
        let elsewhere = try ServerName("elsewhere.example")
        #expect(throws: FederationAuthError.wrongDestination("receiver.example")) {
            try FederationRequestSignature.verify(
                authorization, method: "PUT", uri: "/_matrix/federation/v1/send/1", receiver: elsewhere, content: content, key: key.verifyKey
            )
        }
        let other = try SigningKey(seed: Array(repeating: 9, count: 32), version: "a1")
        #expect(throws: FederationAuthError.badSignature) {
            try FederationRequestSignature.verify(
                authorization, method: "PUT", uri: "/_matrix/federation/v1/send/1", receiver: receiver, content: content, key: other.verifyKey
            )
        }
        let renamed = try SigningKey(seed: Array(repeating: 7, count: 32), version: "b2")
        #expect(throws: FederationAuthError.unknownKey("ed25519:a1")) {
            try FederationRequestSignature.verify(
                authorization, method: "PUT", uri: "/_matrix/federation/v1/send/1", receiver: receiver, content: content, key: renamed.verifyKey
            )
        }
    }

    @Test func aHeaderWithoutDestinationFromAnOlderServerIsCheckedAsSentToThisServer() throws {
        var authorization = try FederationRequestSignature.authorization(
            method: "GET", uri: "/_matrix/federation/v1/version", origin: origin, destination: receiver.rawValue, content: nil, key: key
        )
        authorization.destination = nil
        try FederationRequestSignature.verify(
            authorization, method: "GET", uri: "/_matrix/federation/v1/version", receiver: receiver, content: nil, key: key.verifyKey
        )
    }

    /// Synapse's federation client signs; Axon checks. Axon signs; Synapse's federation server parses and checks.
    @Test(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
    func synapseAndAxonCheckEachOthersSignatures() async throws {
        let python = try #require(TestEnvironment.synapsePython)
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/federation_signatures.py").path
        let seed = UnpaddedBase64.encode(key.seed)
        let uri = "/_matrix/federation/v1/send/txn%2F1?limit=10&x=%C3%A9"
        let body = String(decoding: content.encoded(), as: UTF8.self)
        let signed = try await ChildProcess.run(python, [script, "sign", seed, "a1", origin.rawValue, receiver.rawValue, "PUT", uri, body])
        #expect(signed.status == 0, "\(signed.output)")
        let fromSynapse = try #require(XMatrixAuthorization(header: signed.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        try FederationRequestSignature.verify(fromSynapse, method: "PUT", uri: uri, receiver: receiver, content: content, key: key.verifyKey)

        let ours = try header(uri: uri)
        let checked = try await ChildProcess.run(
            python, [script, "verify-request", ours.headerValue, "PUT", uri, receiver.rawValue, key.verifyKey.base64, body]
        )
        #expect(checked.status == 0 && checked.output.contains("ok"), "\(checked.output)")
        let wrongURI = try await ChildProcess.run(
            python, [script, "verify-request", ours.headerValue, "PUT", uri + "&y=1", receiver.rawValue, key.verifyKey.base64, body]
        )
        #expect(wrongURI.status != 0, "Synapse refuses what Axon would refuse")
    }
}
