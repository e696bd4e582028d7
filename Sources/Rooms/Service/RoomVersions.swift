public import MatrixTypes
public import RoomStore
import Synchronization
import Storage

/// Each room's version, read once from its create event: every client view of an event (redaction rules) and every
/// event built needs it.
public final class RoomVersions: Sendable {
    private let store: RoomStore
    private let cache = Mutex<[RoomID: RoomVersion]>([:])

    public init(store: RoomStore) {
        self.store = store
    }

    public func version(of roomID: RoomID) async throws(RoomError) -> RoomVersion {
        if let known = cache.withLock({ $0[roomID] }) { return known }
        guard let createID = try await RoomError.catching({ try await store.state(in: roomID, atStream: Int64.max) })?[.create],
            let create = try await RoomError.catching({ try await store.event(createID) })
        else { throw .roomNotFound }
        let version = try Self.version(ofCreateEvent: create.json)
        cache.withLock { $0[roomID] = version }
        return version
    }

    /// `content.room_version` of a create event, `1` when absent as the spec says.
    static func version(ofCreateEvent json: [UInt8]) throws(RoomError) -> RoomVersion {
        let parsed = try? JSONValue.parse(json)
        let identifier = parsed?["content"]?["room_version"]?.stringValue ?? "1"
        guard let version = RoomVersion(identifier: identifier) else { throw .unsupportedRoomVersion(identifier) }
        return version
    }
}
