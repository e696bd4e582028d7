import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Server-side key backups (`/room_keys`): backups per user, keys stored only in the current one, the spec's rules for
/// which of two keys of a session is kept, and the etag and count every change answers.
extension ClientScenarios {
    static let keyBackup: [ClientScenario] = [
        ClientScenario(name: "key backup: versions are created, read, updated and deleted") { context in
            let alice = try await context.user()
            let none = try await alice.call("GET", "/room_keys/version")
            #expect(none.status == 404 && none.errcode == "M_NOT_FOUND", "\(none)")
            let first = try await KeyBackupClient(alice).create(["public_key": "first"])
            let current = try await alice.ok("GET", "/room_keys/version")
            #expect(current["version"]?.stringValue == first && current["algorithm"]?.stringValue == KeyBackupClient.algorithm, "\(current)")
            #expect(current["auth_data"] == ["public_key": "first"] && current["count"] == 0 && current["etag"]?.stringValue != nil, "\(current)")
            #expect(try await alice.ok("GET", "/room_keys/version/\(first)") == current)

            let update: JSONValue = ["algorithm": .string(KeyBackupClient.algorithm), "auth_data": ["public_key": "updated"], "version": .string(first)]
            #expect(try await alice.ok("PUT", "/room_keys/version/\(first)", update) == [:])
            #expect(try await alice.ok("GET", "/room_keys/version/\(first)")["auth_data"] == ["public_key": "updated"])
            let otherAlgorithm = try await alice.call("PUT", "/room_keys/version/\(first)", ["algorithm": "m.other", "auth_data": [:]])
            #expect(otherAlgorithm.status == 400 && otherAlgorithm.errcode == "M_INVALID_PARAM", "\(otherAlgorithm)")
            var otherVersion = update
            otherVersion["version"] = .string("\(first)0")
            let mismatch = try await alice.call("PUT", "/room_keys/version/\(first)", otherVersion)
            #expect(mismatch.status == 400 && mismatch.errcode == "M_INVALID_PARAM", "\(mismatch)")

            let second = try await KeyBackupClient(alice).create(["public_key": "second"])
            #expect(second != first)
            #expect(try await alice.ok("GET", "/room_keys/version")["version"]?.stringValue == second, "the newest backup is current")
            #expect(try await alice.ok("DELETE", "/room_keys/version/\(second)") == [:])
            #expect(try await alice.ok("GET", "/room_keys/version")["version"]?.stringValue == first, "the older one is current again")
            let deleted = try await alice.call("GET", "/room_keys/version/\(second)")
            #expect(deleted.status == 404 && deleted.errcode == "M_NOT_FOUND", "\(deleted)")
            try await alice.ok("DELETE", "/room_keys/version/\(second)")
            for unknown in ["424242", "not-a-version"] {
                for (method, body) in [("GET", nil), ("DELETE", nil), ("PUT", update)] as [(String, JSONValue?)] {
                    var body = body
                    body?["version"] = .string(unknown)
                    let reply = try await alice.call(method, "/room_keys/version/\(unknown)", body)
                    #expect(reply.status == 404 && reply.errcode == "M_NOT_FOUND", "\(method) \(unknown): \(reply)")
                }
            }
        },
        ClientScenario(name: "key backup: keys are stored, read and deleted by backup, room and session") { context in
            let alice = try await context.user()
            let backup = KeyBackupClient(alice)
            let version = try await backup.create()
            let roomA = "!a\(UUID().uuidString.prefix(8)):\(context.serverName)"
            let roomB = "!b\(UUID().uuidString.prefix(8)):\(context.serverName)"
            let key = KeyBackupClient.key(verified: true, index: 1, forwarded: 0, data: "one")
            let stored = try await alice.ok("PUT", "/room_keys/keys?version=\(version)", [
                "rooms": .object([roomA: ["sessions": ["s1": key, "s2": key]], roomB: ["sessions": ["s3": key]]]),
            ])
            #expect(stored["count"] == 3 && stored["etag"]?.stringValue != nil, "\(stored)")
            let all = try await alice.ok("GET", "/room_keys/keys?version=\(version)")
            #expect(all["rooms"]?.objectValue?.count == 2, "\(all)")
            #expect(all["rooms"]?[roomA]?["sessions"]?.objectValue?.keys.sorted() == ["s1", "s2"], "\(all)")
            #expect(all["rooms"]?[roomB]?["sessions"]?["s3"] == key, "\(all)")
            let a = SuiteClient.escape(roomA)
            #expect(try await alice.ok("GET", "/room_keys/keys/\(a)?version=\(version)")["sessions"]?.objectValue?.keys.sorted() == ["s1", "s2"])
            #expect(try await alice.ok("GET", "/room_keys/keys/\(a)/s1?version=\(version)") == key)
            let emptyRoom = SuiteClient.escape("!empty:\(context.serverName)")
            #expect(try await alice.ok("GET", "/room_keys/keys/\(emptyRoom)?version=\(version)") == ["sessions": [:]])
            let missing = try await alice.call("GET", "/room_keys/keys/\(a)/nosuchsession?version=\(version)")
            #expect(missing.status == 404 && missing.errcode == "M_NOT_FOUND", "\(missing)")

            // Megolm session IDs are base64, with `/` and `+`.
            let megolm = SuiteClient.escape("J72FeXyicwra/3tbyHc64ITVGNa9WWFmgKu9y+DOzsI")
            let one = try await alice.ok("PUT", "/room_keys/keys/\(a)/\(megolm)?version=\(version)", key)
            #expect(one["count"] == 4 && one["etag"] != stored["etag"], "\(one)")
            #expect(try await alice.ok("GET", "/room_keys/keys/\(a)/\(megolm)?version=\(version)") == key)
            let room = try await alice.ok("PUT", "/room_keys/keys/\(SuiteClient.escape(roomB))?version=\(version)", ["sessions": ["s5": key]])
            #expect(room["count"] == 5 && room["etag"] != one["etag"], "\(room)")
            let info = try await alice.ok("GET", "/room_keys/version")
            #expect(info["count"] == 5 && info["etag"] == room["etag"], "the backup shows the last change: \(info)")

            let session = try await alice.ok("DELETE", "/room_keys/keys/\(a)/s1?version=\(version)")
            #expect(session["count"] == 4 && session["etag"] != room["etag"], "\(session)")
            #expect(try await alice.ok("DELETE", "/room_keys/keys/\(a)?version=\(version)")["count"] == 2)
            #expect(try await alice.ok("GET", "/room_keys/keys?version=\(version)")["rooms"]?.objectValue?.keys == [roomB])
            #expect(try await alice.ok("DELETE", "/room_keys/keys?version=\(version)")["count"] == 0)
            #expect(try await alice.ok("GET", "/room_keys/keys?version=\(version)") == ["rooms": [:]])
            let noVersion = try await alice.call("GET", "/room_keys/keys")
            #expect(noVersion.status == 400 && noVersion.errcode == "M_MISSING_PARAM", "\(noVersion)")
        },
        ClientScenario(name: "key backup: a stored key is replaced by a verified one, then by a lower index, then by fewer forwards") { context in
            let alice = try await context.user()
            let backup = KeyBackupClient(alice)
            let version = try await backup.create()
            let roomID = "!r\(UUID().uuidString.prefix(8)):\(context.serverName)"
            let path = "/room_keys/keys/\(SuiteClient.escape(roomID))/session?version=\(version)"
            var etag = try await alice.ok("PUT", path, KeyBackupClient.key(verified: false, index: 5, forwarded: 2, data: "first"))["etag"]
            // Each upload, and whether it replaces what is stored; Synapse and the spec agree on these.
            let steps: [(JSONValue, Bool)] = [
                (KeyBackupClient.key(verified: false, index: 5, forwarded: 2, data: "same rank"), false),
                (KeyBackupClient.key(verified: false, index: 5, forwarded: 3, data: "more forwards"), false),
                (KeyBackupClient.key(verified: false, index: 6, forwarded: 2, data: "higher index"), false),
                (KeyBackupClient.key(verified: false, index: 5, forwarded: 1, data: "fewer forwards"), true),
                (KeyBackupClient.key(verified: false, index: 4, forwarded: 1, data: "lower index"), true),
                (KeyBackupClient.key(verified: true, index: 9, forwarded: 9, data: "verified"), true),
                (KeyBackupClient.key(verified: true, index: 9, forwarded: 9, data: "verified again"), false),
                (KeyBackupClient.key(verified: true, index: 8, forwarded: 9, data: "verified, lower index"), true),
            ]
            var expected = KeyBackupClient.key(verified: false, index: 5, forwarded: 2, data: "first")
            for (key, replaces) in steps {
                let reply = try await alice.ok("PUT", path, key)
                #expect(reply["count"] == 1, "\(reply)")
                #expect((reply["etag"] != etag) == replaces, "the etag changes only when a key is stored: \(key) \(reply)")
                etag = reply["etag"]
                if replaces { expected = key }
                #expect(try await alice.ok("GET", path) == expected, "\(key)")
            }
        },
        ClientScenario(
            name: "key backup: a verified key or a lower index is never replaced by a key the spec ranks lower",
            axonOnly: "Synapse 1.163 tests each rule alone: an unverified key of lower index replaces a verified one, and fewer forwards replace a lower index"
        ) { context in
            let alice = try await context.user()
            let version = try await KeyBackupClient(alice).create()
            let path = "/room_keys/keys/\(SuiteClient.escape("!r:\(context.serverName)"))/session?version=\(version)"
            let verified = KeyBackupClient.key(verified: true, index: 5, forwarded: 0, data: "verified")
            try await alice.ok("PUT", path, verified)
            try await alice.ok("PUT", path, KeyBackupClient.key(verified: false, index: 0, forwarded: 0, data: "unverified"))
            #expect(try await alice.ok("GET", path) == verified)
            let lowerIndex = KeyBackupClient.key(verified: true, index: 2, forwarded: 3, data: "lower index")
            try await alice.ok("PUT", path, lowerIndex)
            try await alice.ok("PUT", path, KeyBackupClient.key(verified: true, index: 3, forwarded: 0, data: "fewer forwards"))
            #expect(try await alice.ok("GET", path) == lowerIndex)
        },
        ClientScenario(name: "key backup: keys go only to the current backup; older ones can be read until deleted") { context in
            let alice = try await context.user()
            let backup = KeyBackupClient(alice)
            let key = KeyBackupClient.key(verified: false, index: 0, forwarded: 0, data: "k")
            let roomID = "!r\(UUID().uuidString.prefix(8)):\(context.serverName)"
            func upload(_ version: String) async throws -> SuiteClient.Reply {
                try await alice.call("PUT", "/room_keys/keys/\(SuiteClient.escape(roomID))/s?version=\(version)", key)
            }
            let noBackup = try await upload("1")
            #expect(noBackup.status == 404 && noBackup.errcode == "M_NOT_FOUND", "\(noBackup)")
            let first = try await backup.create()
            #expect(try await upload(first).status == 200)
            let second = try await backup.create()
            let stale = try await upload(first)
            #expect(stale.status == 403 && stale.errcode == "M_WRONG_ROOM_KEYS_VERSION", "\(stale)")
            #expect(stale.json["current_version"]?.stringValue != nil, "\(stale)")
            let unknown = try await upload("424242")
            #expect(unknown.status == 404 && unknown.errcode == "M_NOT_FOUND", "\(unknown)")
            #expect(try await alice.ok("GET", "/room_keys/keys?version=\(second)") == ["rooms": [:]], "a new backup starts empty")
            #expect(try await alice.ok("GET", "/room_keys/keys?version=\(first)")["rooms"]?[roomID]?["sessions"]?["s"] == key)

            try await alice.ok("DELETE", "/room_keys/version/\(second)")
            #expect(try await upload(first).status == 200, "the first backup is current again")
            let gone = try await upload(second)
            #expect(gone.status == 404 && gone.errcode == "M_NOT_FOUND", "\(gone)")
            try await alice.ok("DELETE", "/room_keys/version/\(first)")
            for path in ["/room_keys/keys?version=\(first)", "/room_keys/keys/\(SuiteClient.escape(roomID))/s?version=\(first)"] {
                let read = try await alice.call("GET", path)
                #expect(read.status == 404 && read.errcode == "M_NOT_FOUND", "\(path): \(read)")
            }
            let third = try await backup.create()
            #expect(try await alice.ok("GET", "/room_keys/keys?version=\(third)") == ["rooms": [:]], "deleting a backup deleted its keys")
        },
        ClientScenario(
            name: "key backup: the wrong-version error names the current backup",
            axonOnly: "Synapse 1.163 answers the version the client sent as current_version"
        ) { context in
            let alice = try await context.user()
            let backup = KeyBackupClient(alice)
            let first = try await backup.create()
            let second = try await backup.create()
            let stale = try await alice.call("PUT", "/room_keys/keys?version=\(first)", ["rooms": [:]])
            #expect(stale.status == 403 && stale.json["current_version"]?.stringValue == second, "\(stale)")
        },
        ClientScenario(name: "key backup: a user's backups are theirs alone") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let version = try await KeyBackupClient(alice).create()
            let roomID = "!r\(UUID().uuidString.prefix(8)):\(context.serverName)"
            try await alice.ok("PUT", "/room_keys/keys?version=\(version)", [
                "rooms": .object([roomID: ["sessions": ["s": KeyBackupClient.key(verified: false, index: 0, forwarded: 0, data: "alice")]]]),
            ])
            let none = try await bob.call("GET", "/room_keys/version")
            #expect(none.status == 404 && none.errcode == "M_NOT_FOUND", "\(none)")
            let theirs = try await bob.call("GET", "/room_keys/keys?version=\(version)")
            #expect(theirs.status == 404 && theirs.errcode == "M_NOT_FOUND", "\(theirs)")
            let own = try await KeyBackupClient(bob).create()
            #expect(try await bob.ok("GET", "/room_keys/keys?version=\(own)") == ["rooms": [:]])
            let delete = try await bob.call("DELETE", "/room_keys/keys?version=\(version)")
            #expect(delete.status == 200 || delete.status == 404, "\(delete)")
            #expect(try await alice.ok("GET", "/room_keys/version")["count"] == 1, "bob cannot reach alice's keys")
        },
        ClientScenario(name: "key backup: a key whose is_verified is not a boolean is refused") { context in
            let alice = try await context.user()
            let version = try await KeyBackupClient(alice).create()
            var key = KeyBackupClient.key(verified: false, index: 0, forwarded: 0, data: "k")
            key["is_verified"] = "yes"
            let reply = try await alice.call("PUT", "/room_keys/keys?version=\(version)", [
                "rooms": .object(["!r:\(context.serverName)": ["sessions": ["s": key]]]),
            ])
            #expect(reply.status == 400, "\(reply)")
            #expect(try await alice.ok("GET", "/room_keys/version")["count"] == 0)
        },
        ClientScenario(
            name: "key backup: malformed backups and keys are refused",
            axonOnly: "Synapse 1.163 checks little of these bodies: a missing field or a room without sessions fails with 500, and wrong types and invalid room IDs are stored"
        ) { context in
            let alice = try await context.user()
            let missing = try await alice.call("POST", "/room_keys/version", ["algorithm": .string(KeyBackupClient.algorithm)])
            #expect(missing.status == 400 && missing.errcode == "M_MISSING_PARAM", "\(missing)")
            let wrongType = try await alice.call("POST", "/room_keys/version", ["algorithm": 1, "auth_data": [:]])
            #expect(wrongType.status == 400 && wrongType.errcode == "M_BAD_JSON", "\(wrongType)")
            let version = try await KeyBackupClient(alice).create()
            let room = "!r:\(context.serverName)"
            let good = KeyBackupClient.key(verified: false, index: 0, forwarded: 0, data: "k")
            var stringIndex = good
            stringIndex["first_message_index"] = "0"
            var stringData = good
            stringData["session_data"] = "c2Vzc2lvbg"
            for (rooms, code) in [
                (JSONValue.object([room: ["sessions": ["s": stringIndex]]]), "M_BAD_JSON"),
                (.object([room: ["sessions": ["s": stringData]]]), "M_BAD_JSON"),
                (.object([room: ["sessions": ["s": good, "t": ["first_message_index": 0]]]]), "M_BAD_JSON"),
                (.object([room: ["sessions": "s"]]), "M_BAD_JSON"),
                (.object(["not-a-room": ["sessions": ["s": good]]]), "M_INVALID_PARAM"),
            ] {
                let reply = try await alice.call("PUT", "/room_keys/keys?version=\(version)", ["rooms": rooms])
                #expect(reply.status == 400 && reply.errcode == code, "\(rooms): \(reply)")
            }
            let single = try await alice.call("PUT", "/room_keys/keys/\(SuiteClient.escape(room))/s?version=\(version)", stringIndex)
            #expect(single.status == 400 && single.errcode == "M_BAD_JSON", "\(single)")
            #expect(try await alice.ok("GET", "/room_keys/version")["count"] == 0, "nothing of a refused upload is stored")
        },
    ]
}

/// Creating backups and writing keys as clients do.
struct KeyBackupClient {
    static let algorithm = "m.megolm_backup.v1.curve25519-aes-sha2"
    let user: SuiteClient

    init(_ user: SuiteClient) {
        self.user = user
    }

    /// A new backup's version.
    func create(_ authData: JSONValue = ["public_key": "abcdefg"]) async throws -> String {
        let reply = try await user.ok("POST", "/room_keys/version", ["algorithm": .string(Self.algorithm), "auth_data": authData])
        guard let version = reply["version"]?.stringValue else { throw SuiteFailure("no version in \(reply)") }
        return version
    }

    static func key(verified: Bool, index: Int64, forwarded: Int64, data: String) -> JSONValue {
        [
            "first_message_index": .integer(index), "forwarded_count": .integer(forwarded), "is_verified": .bool(verified),
            "session_data": ["ephemeral": "e", "ciphertext": .string(data), "mac": "m"],
        ]
    }
}
