import AxonTesting
import KeyBackup
import MatrixTypes
import Storage
import Testing

/// Backups and their keys on both engines: versions per user, the current one, the spec's replacement rules, etags
/// and counts.
@Suite struct KeyBackupServiceTests {
    static let algorithm = "m.megolm_backup.v1.curve25519-aes-sha2"
    let alice = try! UserID("@alice:backup.test")
    let bob = try! UserID("@bob:backup.test")
    let room = try! RoomID("!room:backup.test")
    let otherRoom = try! RoomID("!other:backup.test")

    static func key(_ verified: Bool, _ index: Int64, _ forwarded: Int64, _ data: String = "c") -> RoomKey {
        RoomKey(firstMessageIndex: index, forwardedCount: forwarded, isVerified: verified, sessionData: ["ciphertext": .string(data)])
    }

    func session(_ id: String, _ key: RoomKey, in roomID: RoomID? = nil) -> BackedUpSession {
        BackedUpSession(roomID: roomID ?? room, sessionID: id, key: key)
    }

    func create(_ backups: KeyBackupService, _ user: UserID, _ authData: JSONObject = ["public_key": "k"]) async throws -> String {
        try await backups.createVersion(algorithm: Self.algorithm, authData: authData, user: user)
    }

    @Test func versionsAreNumberedPerUserAndTheNewestNotDeletedIsCurrent() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            await #expect(throws: KeyBackupError.noCurrentVersion) { try await backups.version(nil, user: alice) }
            #expect(try await create(backups, alice, ["public_key": "one"]) == "1")
            #expect(try await create(backups, alice, ["public_key": "two"]) == "2")
            #expect(try await create(backups, bob) == "1", "another user's backups are numbered apart")
            let current = try await backups.version(nil, user: alice)
            #expect(current == BackupVersion(version: "2", algorithm: Self.algorithm, authData: ["public_key": "two"], etag: "0", count: 0))
            #expect(try await backups.version("1", user: alice).authData == ["public_key": "one"])

            try await backups.deleteVersion("2", user: alice)
            #expect(try await backups.version(nil, user: alice).version == "1", "the older backup is current again")
            await #expect(throws: KeyBackupError.unknownVersion) { try await backups.version("2", user: alice) }
            try await backups.deleteVersion("2", user: alice)
            #expect(try await create(backups, alice) == "3", "a deleted backup's number is not handed out again")
            try await backups.deleteVersion("1", user: alice)
            try await backups.deleteVersion("3", user: alice)
            await #expect(throws: KeyBackupError.noCurrentVersion) { try await backups.version(nil, user: alice) }
            for unknown in ["4", "0", "-1", "01", "+3", " 3", "3.0", "abc", "99999999999999999999"] {
                await #expect(throws: KeyBackupError.unknownVersion, "\(unknown)") { try await backups.deleteVersion(unknown, user: alice) }
                await #expect(throws: KeyBackupError.unknownVersion, "\(unknown)") { try await backups.version(unknown, user: alice) }
            }
            #expect(try await backups.version(nil, user: bob).version == "1", "bob's backup is untouched")
        }
    }

    @Test func anUpdateReplacesAuthDataAndKeepsTheAlgorithmAndVersion() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            try await backups.updateVersion(version, algorithm: Self.algorithm, authData: ["public_key": "new"], bodyVersion: nil, user: alice)
            try await backups.updateVersion(version, algorithm: Self.algorithm, authData: ["public_key": "newer"], bodyVersion: "1", user: alice)
            #expect(try await backups.version(version, user: alice).authData == ["public_key": "newer"])
            await #expect(throws: KeyBackupError.algorithmMismatch) {
                try await backups.updateVersion(version, algorithm: "m.other", authData: [:], bodyVersion: nil, user: alice)
            }
            await #expect(throws: KeyBackupError.versionMismatch) {
                try await backups.updateVersion(version, algorithm: Self.algorithm, authData: [:], bodyVersion: "2", user: alice)
            }
            await #expect(throws: KeyBackupError.unknownVersion, "bob has no backup 1") {
                try await backups.updateVersion(version, algorithm: Self.algorithm, authData: [:], bodyVersion: nil, user: bob)
            }
            _ = try await create(backups, alice)
            try await backups.updateVersion(version, algorithm: Self.algorithm, authData: ["public_key": "old"], bodyVersion: nil, user: alice)
            #expect(try await backups.version(version, user: alice).authData == ["public_key": "old"], "an older backup can be updated")
            try await backups.deleteVersion(version, user: alice)
            await #expect(throws: KeyBackupError.unknownVersion, "a deleted one cannot") {
                try await backups.updateVersion(version, algorithm: Self.algorithm, authData: [:], bodyVersion: nil, user: alice)
            }
        }
    }

    @Test func aStoredKeyIsReplacedOnlyByOneTheSpecRanksHigher() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            func stored() async throws -> RoomKey {
                try await backups.key(version: version, roomID: room, sessionID: "s", user: alice)
            }
            func upload(_ key: RoomKey) async throws -> BackupKeysState {
                try await backups.upload([session("s", key)], version: version, user: alice)
            }
            #expect(try await upload(Self.key(false, 5, 2, "first")) == BackupKeysState(etag: "1", count: 1))
            // Each step: the upload, and whether it replaces what is stored.
            let steps: [(RoomKey, Bool)] = [
                (Self.key(false, 5, 2, "same rank"), false),
                (Self.key(false, 6, 0, "higher index, fewer forwards"), false),
                (Self.key(false, 5, 1, "fewer forwards"), true),
                (Self.key(false, 4, 9, "lower index"), true),
                (Self.key(true, 9, 9, "verified"), true),
                (Self.key(false, 0, 0, "unverified, lowest index"), false),
                (Self.key(true, 9, 9, "verified, same rank"), false),
                (Self.key(true, 8, 9, "verified, lower index"), true),
            ]
            var expected = try await stored()
            #expect(expected == Self.key(false, 5, 2, "first"))
            var etag = 1
            for (key, replaces) in steps {
                let state = try await upload(key)
                if replaces {
                    etag += 1
                    expected = key
                }
                #expect(state == BackupKeysState(etag: String(etag), count: 1), "\(key)")
                #expect(try await stored() == expected, "\(key)")
            }
            #expect(try await backups.version(version, user: alice).etag == String(etag))
        }
    }

    @Test func etagAndCountFollowEveryChangeToTheKeys() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            let key = Self.key(false, 0, 0)
            var state = try await backups.upload(
                [session("a", key), session("b", key), session("c", key, in: otherRoom)], version: version, user: alice
            )
            #expect(state == BackupKeysState(etag: "1", count: 3))
            state = try await backups.upload([session("a", key), session("d", key)], version: version, user: alice)
            #expect(state == BackupKeysState(etag: "2", count: 4), "one new key among known ones")
            state = try await backups.upload([session("a", key)], version: version, user: alice)
            #expect(state == BackupKeysState(etag: "2", count: 4), "nothing stored, the etag stays")
            state = try await backups.upload([], version: version, user: alice)
            #expect(state == BackupKeysState(etag: "2", count: 4))

            state = try await backups.deleteKeys(version: version, scope: .session(room, sessionID: "a"), user: alice)
            #expect(state == BackupKeysState(etag: "3", count: 3))
            state = try await backups.deleteKeys(version: version, scope: .session(room, sessionID: "a"), user: alice)
            #expect(state == BackupKeysState(etag: "4", count: 3), "deleting nothing still changes the etag, as in Synapse")
            state = try await backups.deleteKeys(version: version, scope: .room(room), user: alice)
            #expect(state == BackupKeysState(etag: "5", count: 1))
            let info = try await backups.version(nil, user: alice)
            #expect((info.etag, info.count) == ("5", 1))
            state = try await backups.deleteKeys(version: version, scope: .all, user: alice)
            #expect(state == BackupKeysState(etag: "6", count: 0))
            #expect(try await backups.keys(version: version, scope: .all, user: alice).isEmpty)
        }
    }

    @Test func keysAreReadByBackupRoomAndSession() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            // Session IDs compare by bytes: these two are canonically equivalent but two sessions.
            let uploaded = [
                session("\u{E9}", Self.key(true, 1, 0, "composed")), session("e\u{301}", Self.key(false, 2, 1, "decomposed")),
                session("x", Self.key(false, 0, 0, "elsewhere"), in: otherRoom),
            ]
            #expect(try await backups.upload(uploaded, version: version, user: alice).count == 3)
            func ids(_ sessions: [BackedUpSession]) -> Set<[UInt8]> {
                Set(sessions.map { Array("\($0.roomID) \($0.sessionID)".utf8) })
            }
            let all = try await backups.keys(version: version, scope: .all, user: alice)
            #expect(ids(all) == ids(uploaded))
            #expect(Set(all.map(\.key.sessionData)) == [["ciphertext": "composed"], ["ciphertext": "decomposed"], ["ciphertext": "elsewhere"]])
            #expect(ids(try await backups.keys(version: version, scope: .room(room), user: alice)) == ids(Array(uploaded.prefix(2))))
            #expect(try await backups.keys(version: version, scope: .room(try RoomID("!empty:backup.test")), user: alice).isEmpty)
            #expect(try await backups.key(version: version, roomID: room, sessionID: "e\u{301}", user: alice) == Self.key(false, 2, 1, "decomposed"))
            await #expect(throws: KeyBackupError.keyNotFound) {
                try await backups.key(version: version, roomID: room, sessionID: "x", user: alice)
            }
            let json = BackedUpSession.roomsJSON(all)
            #expect(json[room.rawValue]?["sessions"]?.objectValue?.count == 2)
            #expect(json[otherRoom.rawValue]?["sessions"]?["x"] == Self.key(false, 0, 0, "elsewhere").json)
        }
    }

    @Test func keysGoOnlyToTheCurrentBackup() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let key = Self.key(false, 0, 0)
            await #expect(throws: KeyBackupError.unknownVersion, "no backup at all") {
                try await backups.upload([session("s", key)], version: "1", user: alice)
            }
            let first = try await create(backups, alice)
            _ = try await backups.upload([session("s", key)], version: first, user: alice)
            let second = try await create(backups, alice)
            await #expect(throws: KeyBackupError.wrongVersion(current: second)) {
                try await backups.upload([session("t", key)], version: first, user: alice)
            }
            for unknown in ["3", "x", "02"] {
                await #expect(throws: KeyBackupError.unknownVersion, "\(unknown)") {
                    try await backups.upload([session("t", key)], version: unknown, user: alice)
                }
            }
            #expect(try await backups.keys(version: second, scope: .all, user: alice).isEmpty, "a new backup starts empty")
            #expect(try await backups.keys(version: first, scope: .all, user: alice).map(\.sessionID) == ["s"], "an older one can be read")
            #expect(try await backups.deleteKeys(version: first, scope: .all, user: alice).count == 0, "and emptied")

            try await backups.deleteVersion(second, user: alice)
            #expect(try await backups.upload([session("t", key)], version: first, user: alice).count == 1, "the first is current again")
            await #expect(throws: KeyBackupError.unknownVersion, "a deleted backup takes no keys") {
                try await backups.upload([session("t", key)], version: second, user: alice)
            }
        }
    }

    @Test func deletingABackupDeletesItsKeys() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            _ = try await backups.upload([session("s", Self.key(false, 0, 0))], version: version, user: alice)
            try await backups.deleteVersion(version, user: alice)
            await #expect(throws: KeyBackupError.unknownVersion) { try await backups.keys(version: version, scope: .all, user: alice) }
            await #expect(throws: KeyBackupError.unknownVersion) { try await backups.deleteKeys(version: version, scope: .all, user: alice) }
            let rows = try await database.read { connection in
                try connection.queryValue("SELECT COUNT(*) FROM e2e_room_keys", as: Int64.self)
            }
            #expect(rows == 0)
        }
    }

    /// Deactivation deletes every backup of the user and its keys, and nobody else's; the numbers stay taken.
    @Test func deletingEverythingOfAUserLeavesOthersBackups() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let first = try await create(backups, alice)
            let second = try await create(backups, alice)
            let bobs = try await create(backups, bob)
            _ = try await backups.upload([session("s", Self.key(false, 0, 0))], version: second, user: alice)
            _ = try await backups.upload([session("s", Self.key(false, 0, 0))], version: bobs, user: bob)
            let alice = alice
            try await database.write { transaction in try KeyBackupService.deleteEverything(of: alice.rawValue, in: transaction) }
            for version in [first, second] {
                await #expect(throws: KeyBackupError.unknownVersion) { try await backups.keys(version: version, scope: .all, user: alice) }
            }
            await #expect(throws: KeyBackupError.self) { try await backups.version(nil, user: alice) }
            #expect(try await backups.keys(version: bobs, scope: .all, user: bob).count == 1)
            #expect(try await create(backups, alice) == "3", "the numbers stay taken")
        }
    }

    @Test func oneUsersBackupsAreTheirsAlone() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let aliceVersion = try await create(backups, alice, ["public_key": "alice"])
            _ = try await create(backups, alice, ["public_key": "alice 2"])
            let bobVersion = try await create(backups, bob, ["public_key": "bob"])
            #expect(bobVersion == aliceVersion)
            _ = try await backups.upload([session("s", Self.key(false, 0, 0, "bob's"))], version: bobVersion, user: bob)
            await #expect(throws: KeyBackupError.unknownVersion, "bob has no backup 2") {
                try await backups.keys(version: "2", scope: .all, user: bob)
            }
            #expect(try await backups.keys(version: aliceVersion, scope: .all, user: alice).isEmpty, "bob's key is not in alice's backup 1")
            #expect(try await backups.version(aliceVersion, user: bob).authData == ["public_key": "bob"])
            try await backups.deleteVersion(aliceVersion, user: alice)
            #expect(try await backups.keys(version: bobVersion, scope: .all, user: bob).count == 1, "alice deleting her 1 leaves bob's")
        }
    }

    @Test func anUploadIsBoundedAndLargeOnesSpanStatements() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let version = try await create(backups, alice)
            let many = (0..<1_200).map { session("s\($0)", Self.key(false, 5, 0)) }
            #expect(try await backups.upload(many, version: version, user: alice) == BackupKeysState(etag: "1", count: 1_200))
            #expect(try await backups.upload(many, version: version, user: alice) == BackupKeysState(etag: "1", count: 1_200), "all known")
            let better = many.map { session($0.sessionID, Self.key(false, 4, 0)) }
            #expect(try await backups.upload(better, version: version, user: alice) == BackupKeysState(etag: "2", count: 1_200))
            #expect(try await backups.keys(version: version, scope: .all, user: alice).allSatisfy { $0.key.firstMessageIndex == 4 })
            let tooMany = (0...KeyBackupService.maximumSessionsPerUpload).map { session("t\($0)", Self.key(false, 0, 0)) }
            await #expect(throws: KeyBackupError.tooManySessions(limit: KeyBackupService.maximumSessionsPerUpload)) {
                try await backups.upload(tooMany, version: version, user: alice)
            }
        }
    }

    /// Changes to one user's backups are serialised: concurrent creations get distinct numbers, and concurrent uploads
    /// of the same sessions count each key once.
    @Test func concurrentChangesOfOneUserDoNotCollide() async throws {
        try await withEachDatabase { database in
            let backups = KeyBackupService(database: database)
            let versions = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { try await create(backups, alice) } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(versions) == Set((1...8).map(String.init)))
            let sessions = (0..<50).map { session("s\($0)", Self.key(false, 0, 0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 { group.addTask { _ = try await backups.upload(sessions, version: "8", user: alice) } }
                try await group.waitForAll()
            }
            let info = try await backups.version("8", user: alice)
            #expect((info.etag, info.count) == ("1", 50), "the first upload stored them all; the others found them stored")
        }
    }
}
