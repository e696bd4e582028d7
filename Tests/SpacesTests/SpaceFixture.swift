import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
@testable import Spaces
import Storage
import Synchronization

/// Rooms of one server (`sp.test`) written through the real room writer on a real store, and the hierarchy over
/// them with a clock the tests move.
struct SpaceFixture {
    static let server = "sp.test"
    let store: RoomStore
    let writer: RoomWriter
    let hierarchy: SpaceHierarchy
    let clock: TestClock
    let owner: UserID

    final class TestClock: Sendable {
        let now = Mutex(Int64(1_700_000_000_000))
        func advance(_ milliseconds: Int64) { now.withLock { $0 += milliseconds } }
    }

    init(database: any Database, remote: (any RemoteHierarchies)? = nil) async throws {
        store = try await RoomStore.open(database: database, instance: "main")
        writer = RoomWriter(
            store: store, serverName: try ServerName(Self.server), signingKey: try SigningKey.generate(), bus: InProcessBus(),
            logger: Logger(label: "spaces")
        )
        let clock = TestClock()
        self.clock = clock
        hierarchy = SpaceHierarchy(
            database: database, store: store, serverName: try ServerName(Self.server), remote: remote, clock: { clock.now.withLock { $0 } }
        )
        owner = try UserID("@owner:\(Self.server)")
    }

    /// A room created by `owner` with `joinRule`, optionally a space, named `name`; `extra` state follows.
    func room(
        _ name: String, joinRule: String = JoinRule.public, space: Bool = false, version: String = "10", extra: [EventIntent] = []
    ) async throws -> RoomID {
        var create: JSONObject = ["room_version": .string(version), "creator": .string(owner.rawValue)]
        if space { create["type"] = "m.space" }
        return try await writer.write(WriteUnit(target: .new(RoomVersion(identifier: version) ?? .v10), intents: [
            EventIntent(sender: owner, type: EventType.create, stateKey: "", content: .object(create)),
            EventIntent(sender: owner, type: EventType.member, stateKey: owner.rawValue, content: ["membership": "join"]),
            EventIntent(sender: owner, type: EventType.powerLevels, stateKey: "", content: ["users": [owner.rawValue: 100]]),
            EventIntent(sender: owner, type: EventType.joinRules, stateKey: "", content: ["join_rule": .string(joinRule)]),
            EventIntent(sender: owner, type: "m.room.name", stateKey: "", content: ["name": .string(name)]),
        ] + extra))[0].roomID
    }

    /// Adds `child` to `space` with `content` (`via` this server unless given).
    func addChild(_ child: String, to space: RoomID, _ content: JSONObject = [:]) async throws {
        var content = content
        if content["via"] == nil { content["via"] = [.string(Self.server)] }
        _ = try await writer.write(WriteUnit(target: .existing(space), intents: [
            EventIntent(sender: owner, type: SpaceChild.eventType, stateKey: child, content: .object(content)),
        ]))
    }

    func join(_ user: UserID, _ room: RoomID) async throws {
        _ = try await writer.write(WriteUnit(target: .existing(room), intents: [
            EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"]),
        ]))
    }

    func invite(_ user: UserID, _ room: RoomID) async throws {
        _ = try await writer.write(WriteUnit(target: .existing(room), intents: [
            EventIntent(sender: owner, type: EventType.member, stateKey: user.rawValue, content: ["membership": "invite"]),
        ]))
    }

    static func roomIDs(_ page: JSONValue) -> [String] {
        (page["rooms"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue }
    }
}
