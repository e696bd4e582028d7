import AccountData
import Accounts
import AxonTesting
import E2EE
import Foundation
import Logging
import MatrixCrypto
import MatrixTypes
import Presence
import Receipts
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Sync
import Synchronization
import Typing

/// One process's rooms and sync over a database, built from the real parts: a room writer per `events` writer
/// instance (each with its own stream ID allocator, creating the rooms `RoomOwnership` gives it), one bus, one
/// reader, and the sync service.
struct SyncStack {
    let stores: [RoomStore]
    let writers: [RoomWriter]
    let reader: RoomReader
    let receipts: ReceiptService
    let sync: SyncService
    let presence: PresenceService
    let positions: EventWriterPositions
    /// The writers standing for other processes, whose positions this process learns only when `announce` says.
    let announced: [Int: AnnouncedPosition]

    /// - Parameters:
    ///   - writerCount: `events` writer instances, each writing through `writerDatabase(base)`.
    ///   - seenWriters: how many of the writers this process follows as they commit (the rest stand for other
    ///     processes: their positions move only at `announce`).
    static func make(
        database: any Database, writerCount: Int = 1, seenWriters: Int? = nil,
        writerDatabase: (any Database) -> any Database = { $0 }, catchUpTimeout: Duration = .seconds(10),
        presenceEnabled: Bool = true, cachedUsers: Int = 10_000
    ) async throws -> SyncStack {
        let bus = InProcessBus()
        let serverName = try ServerName("sync.test")
        let key = try SigningKey.generate()
        let ownership = RoomOwnership(writers: (0..<writerCount).map { "writer\($0)" })
        var stores: [RoomStore] = []
        var writers: [RoomWriter] = []
        var writerSources: [EventWriterPositions.Writer] = []
        var announced: [Int: AnnouncedPosition] = [:]
        for index in 0..<writerCount {
            let store = try await RoomStore.open(database: writerDatabase(database), instance: ownership.writers[index])
            stores.append(store)
            writers.append(RoomWriter(
                store: store, serverName: serverName, signingKey: key, bus: bus, logger: Logger(label: "sync-test"),
                owns: { ownership.index(of: $0) == index }
            ))
            if index < seenWriters ?? writerCount {
                writerSources.append(.init(read: { store.persistedUpTo }, advances: store.positions()))
            } else {
                let position = AnnouncedPosition(store.persistedUpTo)
                announced[index] = position
                writerSources.append(.init(read: { position.value }, advances: position.advances()))
            }
        }
        let positions = EventWriterPositions(ownership: ownership, writers: writerSources)
        let accountData = try await makeAccountData(database: database, bus: bus)
        let reader = RoomReader(store: stores[0], erasedUsers: ErasedUsers(database: database), accountData: accountData, events: positions)
        let receipts = ReceiptService(
            database: database, stream: .writing(try await StreamIDAllocator.open(stream: "receipts", instance: "main", database: database)), bus: bus
        )
        let notifier = Notifier(bus: bus, writers: positions)
        let typing = TypingService(bus: bus, reader: reader)
        let presence = PresenceService(enabled: presenceEnabled, epoch: typing.epoch, store: stores[0], bus: bus)
        let deviceLists = DeviceListStream(
            database: database, stream: .writing(try await StreamIDAllocator.open(stream: "device_lists", instance: "main", database: database)),
            bus: bus, store: stores[0], serverName: serverName
        )
        let toDevice = ToDeviceService(
            database: database, stream: .writing(try await StreamIDAllocator.open(stream: "to_device", instance: "main", database: database)),
            bus: bus, serverName: serverName
        )
        let encryption = EncryptionReads(
            toDevice: toDevice, deviceLists: deviceLists,
            keys: KeyService(
                database: database, deviceLists: deviceLists, serverName: serverName, remote: nil, counts: KeyCountCache(capacity: 10_000)
            )
        )
        let sources = SyncSources(
            reader: reader, timeline: stores[0], state: stores[0], memberships: stores[0], receipts: receipts, accountData: accountData,
            typing: typing, presence: presence, encryption: encryption
        )
        let sync = SyncService(
            sources: sources, notifier: notifier, logger: Logger(label: "sync-test"), catchUpTimeout: catchUpTimeout, cachedUsers: cachedUsers
        )
        return SyncStack(
            stores: stores, writers: writers, reader: reader, receipts: receipts, sync: sync, presence: presence, positions: positions,
            announced: announced
        )
    }

    /// Writer `writer`'s position reaches this process, as replication would bring it.
    func announce(writer: Int) {
        announced[writer]?.set(stores[writer].persistedUpTo)
    }

    /// A public room created by `creator` through writer `writer`.
    func createRoom(_ creator: UserID, writer: Int = 0) async throws -> RoomID {
        let created = try await writers[writer].write(WriteUnit(target: .new(.v10), intents: [
            EventIntent(sender: creator, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(creator.rawValue)]),
            EventIntent(sender: creator, type: EventType.member, stateKey: creator.rawValue, content: ["membership": "join"]),
            EventIntent(sender: creator, type: EventType.powerLevels, stateKey: "", content: ["users": [creator.rawValue: 100]]),
            EventIntent(sender: creator, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
        ]))
        return created[0].roomID
    }

    func join(_ user: UserID, _ room: RoomID, writer: Int = 0) async throws {
        _ = try await writers[writer].write(WriteUnit(target: .existing(room), intents: [
            EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"]),
        ]))
    }

    /// Names the room, so the room summary lists no heroes (whose members lazy loading would send).
    func name(_ room: RoomID, _ name: String, by user: UserID) async throws {
        _ = try await writers[0].write(WriteUnit(target: .existing(room), intents: [
            EventIntent(sender: user, type: "m.room.name", stateKey: "", content: ["name": .string(name)]),
        ]))
    }

    @discardableResult
    func send(_ user: UserID, _ room: RoomID, _ body: String, writer: Int = 0) async throws -> EventID {
        try await writers[writer].write(WriteUnit(target: .existing(room), intents: [
            EventIntent(sender: user, type: "m.room.message", content: ["msgtype": "m.text", "body": .string(body)]),
        ]))[0].eventID
    }

    func sync(
        _ user: UserID, since: String? = nil, timelineLimit: Int = 10, lazy: Bool = false, timeout: Duration = .zero, device: String = "DEV"
    ) async throws -> JSONValue {
        let filter: JSONValue = ["room": ["timeline": ["limit": .integer(Int64(timelineLimit))], "state": ["lazy_load_members": .bool(lazy)]]]
        return try await sync.sync(SyncRequest(
            user: user, deviceID: device, since: since.flatMap(SyncToken.init), timeout: timeout, fullState: false,
            filter: SyncFilter(json: filter)
        ))
    }
}

/// A position set by hand: another process's writer, as far as replication has announced it here.
final class AnnouncedPosition: Sendable {
    private let state: Mutex<(value: Int64, observers: [AsyncStream<Int64>.Continuation])>

    init(_ value: Int64) {
        state = Mutex((value, []))
    }

    var value: Int64 { state.withLock { $0.value } }

    func set(_ value: Int64) {
        let observers = state.withLock { state in
            state.value = max(state.value, value)
            return state.observers
        }
        for observer in observers { observer.yield(value) }
    }

    func advances() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        state.withLock { $0.observers.append(continuation) }
        return stream
    }
}

/// Delays each commit by a random few milliseconds after the transaction's work, so transactions of different
/// writers commit in another order than they took their stream IDs.
final class DelayedCommits: Database {
    let base: any Database
    let maxDelayMicroseconds: UInt32

    init(_ base: any Database, maxDelayMicroseconds: UInt32) {
        self.base = base
        self.maxDelayMicroseconds = maxDelayMicroseconds
    }

    var dialect: SQLDialect { base.dialect }

    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await base.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        let delay = UInt32.random(in: 0...maxDelayMicroseconds)
        return try await base.write { transaction in
            let value = try body(transaction)
            usleep(delay)
            return value
        }
    }

    func close() async { await base.close() }
}
