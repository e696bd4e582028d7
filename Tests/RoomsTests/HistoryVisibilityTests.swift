import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Testing

/// History visibility applies per event: the setting and the reader's membership in force at each event decide,
/// not the room's current setting (spec, "History visibility"). Every transition between the four settings, both
/// ways, read by someone invited before it and joined after it, and by someone who joined only at the end.
@Suite struct HistoryVisibilityTests {
    static let settings = ["world_readable", "shared", "invited", "joined"]

    /// The spec's rule for one event: `world_readable` and `shared` show it to (past or present) members, `invited`
    /// to those invited or joined at the time, `joined` to those joined at the time.
    static func expectedVisible(setting: String, membership: String?) -> Bool {
        switch setting {
        case "world_readable", "shared": true
        case "invited": membership == "invite" || membership == "join"
        default: membership == "join"
        }
    }

    @Test(arguments: settings.flatMap { from in settings.filter { $0 != from }.map { (from, $0) } })
    func eachEventFollowsTheSettingInForceAtIt(from: String, to: String) async throws {
        try await withEachDatabase { database in
            let room = try await VisibilityRoom.make(database: database, visibility: from)
            let bob = try UserID("@bob:hv.test")
            let carol = try UserID("@carol:hv.test")
            let m1 = try await room.say("m1")
            try await room.membership(bob, "invite", by: room.alice)
            let m2 = try await room.say("m2")
            let change = try await room.setVisibility(to)
            let m3 = try await room.say("m3")
            try await room.membership(bob, "join", by: bob)
            let m4 = try await room.say("m4")
            try await room.membership(carol, "join", by: carol)

            // Bob: nothing at m1, invited at m2 and m3, joined at m4. Carol: nothing at any of them.
            let bobAt: [(EventID, String, String?)] = [(m1.eventID, from, nil), (m2.eventID, from, "invite"), (m3.eventID, to, "invite"), (m4.eventID, to, "join")]
            let carolAt: [(EventID, String, String?)] = [(m1.eventID, from, nil), (m2.eventID, from, nil), (m3.eventID, to, nil), (m4.eventID, to, nil)]
            for (reader, expectations, changeMembership) in [(bob, bobAt, "invite"), (carol, carolAt, nil)] {
                let viewer = ClientEventFormat.Viewer(userID: reader, deviceID: nil)
                let page = try await room.reader.messages(
                    in: room.id, viewer: viewer, from: nil, to: nil, direction: .backward, limit: 100, filter: .all
                )
                let seen = Set(page.chunk.compactMap { $0["event_id"]?.stringValue })
                for (eventID, setting, membership) in expectations {
                    let expected = Self.expectedVisible(setting: setting, membership: membership)
                    #expect(seen.contains(eventID.rawValue) == expected, "\(from)→\(to): /messages \(reader) \(eventID) under \(setting) as \(membership ?? "none")")
                    let single = await Self.succeeds { try await room.reader.event(eventID, in: room.id, viewer: viewer) }
                    #expect(single == expected, "\(from)→\(to): /event \(reader) \(eventID)")
                    let context = await Self.succeeds { try await room.reader.context(of: eventID, in: room.id, viewer: viewer, limit: 4, filter: .all) }
                    #expect(context == expected, "\(from)→\(to): /context \(reader) \(eventID)")
                }
                // The change itself shows to whoever either side of it would show it to.
                let changeVisible = Self.expectedVisible(setting: from, membership: changeMembership)
                    || Self.expectedVisible(setting: to, membership: changeMembership)
                #expect(seen.contains(change.eventID.rawValue) == changeVisible, "\(from)→\(to): the change for \(reader)")
            }

            // Members as of m1, which Carol was no member at: readable when the room was world readable then, or
            // shared with her as a member now (Synapse's rule for `at`).
            let membersAtM1 = await Self.succeeds {
                _ = try await room.reader.members(of: room.id, viewer: carol, at: .stream(m1.streamOrdering), membership: nil, notMembership: nil)
            }
            #expect(membersAtM1 == (from == "world_readable" || from == "shared"), "\(from)→\(to): /members?at= for carol")
        }
    }

    /// Paging on through hidden history still reaches the visible history before it.
    @Test func pagingPassesHiddenHistoryToReachSharedHistoryBeforeIt() async throws {
        try await withEachDatabase { database in
            let room = try await VisibilityRoom.make(database: database, visibility: "shared")
            let early = try await room.say("shared before")
            _ = try await room.setVisibility("joined")
            for index in 0..<6 { _ = try await room.say("hidden \(index)") }
            _ = try await room.setVisibility("shared")
            let carol = try UserID("@carol:hv.test")
            try await room.membership(carol, "join", by: carol)
            let viewer = ClientEventFormat.Viewer(userID: carol, deviceID: nil)
            var from: RoomToken?
            var seen: [String] = []
            for _ in 0..<20 {
                let page = try await room.reader.messages(in: room.id, viewer: viewer, from: from, to: nil, direction: .backward, limit: 2, filter: .all)
                seen += page.chunk.compactMap { $0["content"]?["body"]?.stringValue }
                guard let end = page.end else { break }
                from = end
            }
            #expect(seen.contains("shared before"), "\(seen)")
            #expect(!seen.contains { $0.hasPrefix("hidden") }, "\(seen)")
            _ = early
        }
    }

    static func succeeds(_ body: () async throws -> Void) async -> Bool {
        do {
            try await body()
            return true
        } catch {
            return false
        }
    }
}

/// A public room created by Alice through the real writer, with helpers to speak, change membership and visibility.
struct VisibilityRoom {
    let id: RoomID
    let alice: UserID
    let writer: RoomWriter
    let reader: RoomReader

    static func make(database: any Database, visibility: String) async throws -> VisibilityRoom {
        let store = try await RoomStore.open(database: database, instance: "main")
        let writer = RoomWriter(
            store: store, serverName: try ServerName("hv.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
            logger: Logger(label: "hv")
        )
        let alice = try UserID("@alice:hv.test")
        let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
            EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
            EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
            EventIntent(sender: alice, type: EventType.powerLevels, stateKey: "", content: ["users": [alice.rawValue: 100]]),
            EventIntent(sender: alice, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
            EventIntent(sender: alice, type: "m.room.history_visibility", stateKey: "", content: ["history_visibility": .string(visibility)]),
        ]))
        return VisibilityRoom(id: created[0].roomID, alice: alice, writer: writer, reader: try await makeRoomReader(store: store, database: database))
    }

    func say(_ body: String) async throws -> WrittenEvent {
        try await write(EventIntent(sender: alice, type: "m.room.message", content: ["msgtype": "m.text", "body": .string(body)]))
    }

    func setVisibility(_ visibility: String) async throws -> WrittenEvent {
        try await write(EventIntent(sender: alice, type: "m.room.history_visibility", stateKey: "", content: ["history_visibility": .string(visibility)]))
    }

    @discardableResult
    func membership(_ user: UserID, _ membership: String, by sender: UserID) async throws -> WrittenEvent {
        try await write(EventIntent(sender: sender, type: EventType.member, stateKey: user.rawValue, content: ["membership": .string(membership)]))
    }

    private func write(_ intent: EventIntent) async throws -> WrittenEvent {
        try await writer.write(WriteUnit(target: .existing(id), intents: [intent]))[0]
    }
}
