import AxonTesting
import Foundation
import MatrixCrypto
import MatrixTypes
import Testing

/// End-to-end encryption as the server carries it: device keys, one-time and fallback keys, to-device messages,
/// device lists in `/sync` and `/keys/changes`, cross-signing. Keys are made and signed here as a client would.
extension ClientScenarios {
    static let encryption: [ClientScenario] = [
        ClientScenario(name: "e2ee keys: upload, query with the device's name, claim one-time keys once each then the fallback key, counts in sync") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let device = try DeviceIdentity(alice)
            try await alice.ok("PUT", "/devices/\(SuiteClient.escape(alice.deviceID))", ["display_name": "Alice's laptop"])
            let oneTime = try (0..<2).map { try device.oneTimeKey("AAAA\($0)") }
            let uploaded = try await alice.ok("POST", "/keys/upload", [
                "device_keys": device.deviceKeys,
                "one_time_keys": .object(JSONObject(uniqueKeysWithValues: oneTime.map { ("signed_curve25519:\($0.id)", $0.key) })),
                "fallback_keys": ["signed_curve25519:FB1": try device.oneTimeKey("FB1", fallback: true).key],
            ])
            #expect(uploaded["one_time_key_counts"]?["signed_curve25519"] == 2, "\(uploaded)")

            let queried = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            let keys = queried["device_keys"]?[alice.userID]?[alice.deviceID]
            #expect(keys?["unsigned"]?["device_display_name"] == "Alice's laptop", "\(queried)")
            #expect(keys.map(DeviceIdentity.withoutUnsigned) == device.deviceKeys, "\(queried)")
            #expect(queried["failures"] == [:], "\(queried)")
            let one = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: [.string(alice.deviceID), "NOSUCHDEVICE"]]])
            #expect(one["device_keys"]?[alice.userID]?.objectValue?.keys == [alice.deviceID], "\(one)")

            var claimedIDs: [String] = []
            for _ in 0..<4 {
                let claimed = try await bob.ok("POST", "/keys/claim", ["one_time_keys": [alice.userID: [alice.deviceID: "signed_curve25519"]]])
                let entry = claimed["one_time_keys"]?[alice.userID]?[alice.deviceID]?.objectValue
                #expect(entry?.count == 1, "\(claimed)")
                claimedIDs += entry?.keys ?? []
            }
            #expect(Set(claimedIDs.prefix(2)) == ["signed_curve25519:AAAA0", "signed_curve25519:AAAA1"], "each one-time key once: \(claimedIDs)")
            #expect(Array(claimedIDs.suffix(2)) == ["signed_curve25519:FB1", "signed_curve25519:FB1"], "then the fallback key: \(claimedIDs)")
            let synced = try await alice.sync()
            #expect(synced["device_one_time_keys_count"]?["signed_curve25519"] == 0, "\(synced)")
            #expect(synced["device_unused_fallback_key_types"] == [], "the fallback key was used: \(synced)")

            // A new fallback key is unused again; the same one-time key ID with other content is refused.
            try await alice.ok("POST", "/keys/upload", ["fallback_keys": ["signed_curve25519:FB2": try device.oneTimeKey("FB2", fallback: true).key]])
            // A sync with the same parameters could be Synapse's cached response; the token makes it a new one.
            let renewed = try await alice.sync(since: try #require(synced["next_batch"]?.stringValue))
            #expect(renewed["device_unused_fallback_key_types"] == ["signed_curve25519"], "\(renewed)")
            let again = try await alice.ok("POST", "/keys/upload", ["one_time_keys": ["signed_curve25519:AAAA5": try device.oneTimeKey("AAAA5").key]])
            #expect(again["one_time_key_counts"]?["signed_curve25519"] == 1, "\(again)")
            let conflict = try await alice.call("POST", "/keys/upload", ["one_time_keys": ["signed_curve25519:AAAA5": try device.oneTimeKey("AAAA5").key]])
            #expect(conflict.status == 400, "\(conflict)")
            let nobody = try await bob.ok("POST", "/keys/claim", ["one_time_keys": ["@nobody-here:\(context.serverName)": ["X": "signed_curve25519"]]])
            #expect(nobody["one_time_keys"] == [:], "\(nobody)")
        },
        ClientScenario(
            name: "e2ee keys: device keys for another device or with a bad self-signature are refused",
            axonOnly: "Synapse stores device keys without checking their owner or signature"
        ) { context in
            let alice = try await context.user("alice")
            let device = try DeviceIdentity(alice)
            var forged = device.deviceKeys
            forged["keys"]?["curve25519:\(alice.deviceID)"] = "c3dpdGNoZWQgYWZ0ZXIgc2lnbmluZw"
            let badSignature = try await alice.call("POST", "/keys/upload", ["device_keys": forged])
            #expect(badSignature.status == 400 && badSignature.errcode == "M_INVALID_PARAM", "\(badSignature)")
            let other = try DeviceIdentity(alice, deviceID: "OTHERDEVICE")
            let wrongDevice = try await alice.call("POST", "/keys/upload", ["device_keys": other.deviceKeys])
            #expect(wrongDevice.status == 400 && wrongDevice.errcode == "M_INVALID_PARAM", "\(wrongDevice)")
            let stored = try await alice.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(stored["device_keys"]?[alice.userID] == [:], "nothing was stored: \(stored)")
        },
        ClientScenario(name: "e2ee to-device: in order, once per transaction, to every device with *, at most 100 per sync") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let bob2 = try await bob.login(recordSecrets: context.kind.isAxon)
            func send(_ index: Int, to device: String, txn: String? = nil) async throws {
                try await alice.ok(
                    "PUT", "/sendToDevice/org.example.test/\(txn ?? "txn\(index)")",
                    ["messages": [bob.userID: [device: ["n": .integer(Int64(index))]]]]
                )
            }
            let start = try await bob.sync()
            let startToken = try #require(start["next_batch"]?.stringValue)
            for index in 0..<3 { try await send(index, to: bob.deviceID) }
            try await send(99, to: bob.deviceID, txn: "txn0")  // a retried transaction delivers nothing again
            let first = try await bob.sync(since: startToken)
            let events = first["to_device"]?["events"]?.arrayValue ?? []
            #expect(events.map { $0["content"]?["n"] } == [0, 1, 2], "\(first)")
            #expect(events.allSatisfy { $0["sender"]?.stringValue == alice.userID && $0["type"] == "org.example.test" }, "\(first)")
            let firstToken = try #require(first["next_batch"]?.stringValue)
            let repeated = try await bob.sync(since: startToken)
            #expect(repeated["to_device"]?["events"]?.arrayValue?.count == 3, "not acknowledged yet, so sent again: \(repeated)")
            let after = try await bob.sync(since: firstToken)
            #expect(after["to_device"]?["events"]?.arrayValue ?? [] == [], "\(after)")

            try await send(7, to: "*", txn: "everyone")
            // Beside device IDs, `*` is ignored: only the named device gets a message, once.
            try await alice.ok(
                "PUT", "/sendToDevice/org.example.test/named",
                ["messages": [bob.userID: ["*": ["n": 8], bob.deviceID: ["n": 9]]]]
            )
            let other = try await bob2.sync()
            #expect(other["to_device"]?["events"]?.arrayValue?.map { $0["content"]?["n"] } == [7], "\(other)")
            let mine = try await bob.sync(since: try #require(after["next_batch"]?.stringValue))
            #expect(mine["to_device"]?["events"]?.arrayValue?.map { $0["content"]?["n"] } == [7, 9], "\(mine)")

            var token = try #require(mine["next_batch"]?.stringValue)
            for index in 0..<130 { try await send(1000 + index, to: bob.deviceID, txn: "bulk\(index)") }
            var received: [JSONValue] = []
            for _ in 0..<4 {
                let page = try await bob.sync(since: token)
                let batch = page["to_device"]?["events"]?.arrayValue ?? []
                #expect(batch.count <= 100, "at most 100 in one response: \(batch.count)")
                received += batch
                token = try #require(page["next_batch"]?.stringValue)
                if batch.isEmpty { break }
            }
            #expect(received.map { $0["content"]?["n"] } == (0..<130).map { .integer(Int64(1000 + $0)) }, "every message once, in order")
        },
        ClientScenario(name: "e2ee device lists: new keys and a deleted device show in changed, leaving in left, and /keys/changes agrees") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let room = try await alice.createRoom([
                "preset": "private_chat", "invite": [.string(bob.userID)],
                "initial_state": [["type": "m.room.encryption", "state_key": "", "content": ["algorithm": "m.megolm.v1.aes-sha2"]]],
            ])
            let start = try #require(try await bob.sync()["next_batch"]?.stringValue)
            try await bob.ok("POST", "/join/\(SuiteClient.escape(room))", [:])
            let joined = try await alice.sync()
            let aliceToken = try #require(joined["next_batch"]?.stringValue)
            let afterJoin = try await bob.sync(since: start)
            #expect(afterJoin["device_lists"]?["changed"]?.arrayValue?.contains(.string(alice.userID)) == true, "newly shared: \(afterJoin)")
            let bobToken = try #require(afterJoin["next_batch"]?.stringValue)

            let laptop = try await alice.login(recordSecrets: context.kind.isAxon)
            try await laptop.ok("POST", "/keys/upload", ["device_keys": try DeviceIdentity(laptop).deviceKeys])
            let uploaded = try await bob.sync(since: bobToken)
            #expect(uploaded["device_lists"]?["changed"] == [.string(alice.userID)], "\(uploaded)")
            let uploadedToken = try #require(uploaded["next_batch"]?.stringValue)

            let challenge = try await alice.call("DELETE", "/devices/\(SuiteClient.escape(laptop.deviceID))", [:])
            #expect(challenge.status == 401 && challenge.json["flows"] != nil, "deleting a device needs the password: \(challenge)")
            try await alice.ok(
                "DELETE", "/devices/\(SuiteClient.escape(laptop.deviceID))",
                ["auth": alice.passwordAuth(session: challenge.json["session"]?.stringValue)]
            )
            let deleted = try await bob.sync(since: uploadedToken)
            #expect(deleted["device_lists"]?["changed"] == [.string(alice.userID)], "\(deleted)")
            let gone = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(gone["device_keys"]?[alice.userID]?[laptop.deviceID] == nil, "the deleted device's keys are gone: \(gone)")
            let changes = try await bob.ok(
                "GET", "/keys/changes?from=\(SuiteClient.escape(bobToken))&to=\(SuiteClient.escape(try #require(deleted["next_batch"]?.stringValue)))"
            )
            #expect(changes["changed"]?.arrayValue?.contains(.string(alice.userID)) == true, "\(changes)")

            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(room))/leave", [:])
            let left = try await alice.sync(since: aliceToken)
            #expect(left["device_lists"]?["left"]?.arrayValue?.contains(.string(bob.userID)) == true, "\(left)")
        },
        ClientScenario(name: "e2ee cross-signing: first and identical uploads need no password, replacing does; signatures verify and show in query") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let device = try DeviceIdentity(alice)
            try await alice.ok("POST", "/keys/upload", ["device_keys": device.deviceKeys])
            let aliceKeys = try CrossSigningIdentity(alice.userID)
            try await alice.ok("POST", "/keys/device_signing/upload", aliceKeys.uploadBody)
            try await alice.ok("POST", "/keys/device_signing/upload", aliceKeys.uploadBody)
            let replacement = try CrossSigningIdentity(alice.userID)
            let challenge = try await alice.call("POST", "/keys/device_signing/upload", replacement.uploadBody)
            #expect(challenge.status == 401 && challenge.json["flows"] != nil, "replacing keys needs the password: \(challenge)")
            let queried = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(queried["master_keys"]?[alice.userID]?["keys"] == aliceKeys.master["keys"], "the first keys still stand: \(queried)")
            #expect(queried["self_signing_keys"]?[alice.userID]?["keys"] == aliceKeys.selfSigning["keys"], "\(queried)")
            #expect(queried["user_signing_keys"]?[alice.userID] == nil, "only its owner sees a user-signing key: \(queried)")
            let own = try await alice.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(own["user_signing_keys"]?[alice.userID]?["keys"] == aliceKeys.userSigning["keys"], "\(own)")

            // A signature that does not verify is a failure and is not stored; Alice's self-signing key signs her device.
            let forged = try CrossSigningIdentity(alice.userID).selfSigningKey.sign(
                device.deviceKeys, as: alice.userID, keyID: "ed25519:\(aliceKeys.selfSigningKey.publicKey)"
            )
            let refused = try await alice.ok("POST", "/keys/signatures/upload", [alice.userID: [alice.deviceID: forged]])
            #expect(refused["failures"]?[alice.userID]?[alice.deviceID]?["errcode"] == "M_INVALID_SIGNATURE", "\(refused)")
            let unsigned = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(unsigned["device_keys"]?[alice.userID]?[alice.deviceID]?["signatures"] == device.deviceKeys["signatures"], "\(unsigned)")
            let signedDevice = aliceKeys.selfSigningKey.sign(device.deviceKeys, as: alice.userID)
            let result = try await alice.ok("POST", "/keys/signatures/upload", [alice.userID: [alice.deviceID: signedDevice]])
            #expect(result["failures"] == [:], "\(result)")
            let shown = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            let selfSigningID = "ed25519:\(aliceKeys.selfSigningKey.publicKey)"
            #expect(
                shown["device_keys"]?[alice.userID]?[alice.deviceID]?["signatures"]?[alice.userID]?[selfSigningID]
                    == signedDevice["signatures"]?[alice.userID]?[selfSigningID],
                "\(shown)"
            )

            // Bob's user-signing key signs Alice's master key: Bob sees that signature.
            let bobKeys = try CrossSigningIdentity(bob.userID)
            try await bob.ok("POST", "/keys/device_signing/upload", bobKeys.uploadBody)
            let signedMaster = bobKeys.userSigningKey.sign(aliceKeys.master, as: bob.userID)
            let vouched = try await bob.ok("POST", "/keys/signatures/upload", [alice.userID: [aliceKeys.masterKey.publicKey: signedMaster]])
            #expect(vouched["failures"] == [:], "\(vouched)")
            let seen = try await bob.ok("POST", "/keys/query", ["device_keys": [alice.userID: []]])
            #expect(seen["master_keys"]?[alice.userID]?["signatures"]?[bob.userID] != nil, "\(seen)")
        },
    ]
}

/// An Ed25519 key pair named as the client names it, signing JSON as the spec's signing algorithm says.
struct TestSigner: Sendable {
    let key: SigningKey
    let keyID: String

    init(keyID: String? = nil) throws {
        key = try SigningKey.generate(version: "x")
        self.keyID = keyID ?? "ed25519:" + key.verifyKey.base64
    }

    init(deviceID: String) throws {
        key = try SigningKey.generate(version: "x")
        keyID = "ed25519:" + deviceID
    }

    var publicKey: String { key.verifyKey.base64 }

    func sign(_ json: JSONValue, as user: String, keyID: String? = nil) -> JSONValue {
        var json = json
        let signature = UnpaddedBase64.encode(key.signature(for: (try? json.signableBytes()) ?? []))
        var all = json["signatures"]?.objectValue ?? [:]
        var mine = all[user]?.objectValue ?? [:]
        mine[keyID ?? self.keyID] = .string(signature)
        all[user] = .object(mine)
        json["signatures"] = .object(all)
        return json
    }
}

/// A device's identity keys and signed one-time keys, as a client makes them.
struct DeviceIdentity: Sendable {
    let signer: TestSigner
    let deviceKeys: JSONValue

    init(_ client: SuiteClient, deviceID: String? = nil) throws {
        let device = deviceID ?? client.deviceID
        signer = try TestSigner(deviceID: device)
        let unsigned: JSONValue = [
            "user_id": .string(client.userID), "device_id": .string(device),
            "algorithms": ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
            "keys": ["curve25519:\(device)": .string(UnpaddedBase64.encode((0..<32).map { _ in UInt8.random(in: 0...255) })),
                     "ed25519:\(device)": .string(signer.publicKey)],
        ]
        deviceKeys = signer.sign(unsigned, as: client.userID)
        self.userID = client.userID
    }

    let userID: String

    /// A signed curve25519 key named `id` (fresh key material each time).
    func oneTimeKey(_ id: String, fallback: Bool = false) throws -> (id: String, key: JSONValue) {
        var key: JSONObject = ["key": .string(UnpaddedBase64.encode((0..<32).map { _ in UInt8.random(in: 0...255) }))]
        if fallback { key["fallback"] = true }
        return (id, signer.sign(.object(key), as: userID))
    }

    static func withoutUnsigned(_ keys: JSONValue) -> JSONValue {
        guard var object = keys.objectValue else { return keys }
        _ = object.removeValue(forKey: "unsigned")
        return .object(object)
    }
}

/// A user's master, self-signing and user-signing keys, the latter two signed by the master key.
struct CrossSigningIdentity: Sendable {
    let masterKey: TestSigner
    let selfSigningKey: TestSigner
    let userSigningKey: TestSigner
    let master: JSONValue
    let selfSigning: JSONValue
    let userSigning: JSONValue

    init(_ userID: String) throws {
        masterKey = try TestSigner()
        selfSigningKey = try TestSigner()
        userSigningKey = try TestSigner()
        func key(_ signer: TestSigner, _ usage: String) -> JSONValue {
            ["user_id": .string(userID), "usage": [.string(usage)], "keys": [signer.keyID: .string(signer.publicKey)]]
        }
        master = key(masterKey, "master")
        selfSigning = masterKey.sign(key(selfSigningKey, "self_signing"), as: userID)
        userSigning = masterKey.sign(key(userSigningKey, "user_signing"), as: userID)
    }

    var uploadBody: JSONValue {
        ["master_key": master, "self_signing_key": selfSigning, "user_signing_key": userSigning]
    }
}
