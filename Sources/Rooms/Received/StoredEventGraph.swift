public import EventAuth
public import MatrixTypes
public import RoomStore
import Storage

/// Stored events decoded as PDUs, with their auth chains: what authorising a received event, resolving forked state
/// and answering another server's join need.
public struct StoredEventGraph: Sendable {
    let store: RoomStore

    /// The most events one walk loads: a room's auth chain grows with its state changes, and a larger one is refused
    /// rather than held in memory.
    public static let maximumEvents = 100_000

    public init(store: RoomStore) {
        self.store = store
    }

    /// The stored events among `ids` (rejected ones marked); unknown ones are left out.
    public func events(_ ids: some Collection<EventID>, version: RoomVersion) async throws(RoomError) -> EventDictionary {
        var found = EventDictionary()
        for event in try await RoomError.catching({ try await store.storedEvents(Set(ids)) }) {
            found.insert(try decode(event, version: version), rejected: event.rejectedReason != nil)
        }
        return found
    }

    /// `ids` and every stored event in their auth chains, walking `auth_events` level by level.
    public func withAuthChains(of ids: some Collection<EventID>, version: RoomVersion) async throws(RoomError) -> EventDictionary {
        var found = EventDictionary()
        var next = Set(ids)
        while !next.isEmpty {
            let level = try await events(next, version: version)
            next = []
            for event in level.events.values {
                found.insert(event, rejected: level.isRejected(event.eventID))
                for authID in event.authEventIDsWithCreate where found.event(withID: authID) == nil { next.insert(authID) }
            }
            guard found.events.count <= Self.maximumEvents else {
                throw .invalidEvent("auth chain larger than \(Self.maximumEvents) events")
            }
        }
        return found
    }

    /// The auth chain of `ids`: every event their `auth_events` lead to, without `ids` themselves (unless one is in
    /// another's chain).
    public func authChain(of ids: some Collection<EventID>, version: RoomVersion) async throws(RoomError) -> [PDU] {
        let starts = try await events(ids, version: version)
        let chain = try await withAuthChains(of: starts.events.values.flatMap(\.authEventIDsWithCreate), version: version)
        return Array(chain.events.values)
    }

    /// The room's state before `event` (resolved from its `prev_events`), which other servers ask for with
    /// `/state` and `/state_ids`.
    public func stateBefore(_ event: PDU) async throws(RoomError) -> StateMap {
        guard !event.prevEventIDs.isEmpty else { return [:] }
        return try await ResolvedState.after(event.prevEventIDs, version: event.version, store: store).state
    }

    private func decode(_ event: StoredEvent, version: RoomVersion) throws(RoomError) -> PDU {
        do {
            return try PDU(json: try JSONValue.parse(event.json, options: version.eventParseOptions), eventID: event.eventID, version: version)
        } catch {
            throw .invalidEvent("stored event \(event.eventID) does not decode: \(error)")
        }
    }
}
