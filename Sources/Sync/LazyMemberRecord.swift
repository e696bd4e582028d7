import MatrixTypes
import Replication
import Synchronization

/// Which members' events each device has been sent per room, so lazy-loading syncs send each only once (until
/// the device asks for full state).
///
/// A member counts as sent only once the device shows it received the response: a later request whose `since`
/// is that response's `next_batch`, or a descendant of it. A long-poll whose response was lost and is retried
/// with the same `since` is therefore sent the same members again.
final class LazyMemberRecord: Sendable {
    private struct Device: Hashable {
        let user: UserID
        let device: String
    }

    /// One response handed out: the token the request started from and the members it sent per room.
    private struct Issued {
        var parent: SyncToken?
        var added: [RoomID: Set<StateKey>]
    }

    private struct Record {
        /// Members the device is known to hold.
        var confirmed: [RoomID: Set<StateKey>] = [:]
        /// Responses not yet confirmed by a request continuing from them, oldest first.
        var issued: [(token: SyncToken, response: Issued)] = []
    }

    /// Unconfirmed responses kept per device; an older one is forgotten, and its members are sent again.
    static let issuedKept = 8

    private let records = Mutex<[Device: Record]>([:])

    /// Starts a request from `since`: what the responses leading to it sent is now known to be held; a full-state
    /// or initial request (`reset`) starts over.
    func start(user: UserID, device: String?, since: SyncToken?, reset: Bool) {
        let key = Device(user: user, device: device ?? "")
        records.withLock { records in
            if reset {
                records[key] = nil
                return
            }
            guard var record = records[key], let since else { return }
            var token: SyncToken? = since
            var chain: [Issued] = []
            while let current = token, let found = record.issued.last(where: { $0.token == current })?.response,
                chain.count < Self.issuedKept
            {
                chain.append(found)
                token = found.parent
            }
            for response in chain {
                for (room, members) in response.added { record.confirmed[room, default: []].formUnion(members) }
            }
            if !chain.isEmpty { record.issued.removeAll() }
            records[key] = record
        }
    }

    /// The members among `wanted` the device is not known to hold in `room`.
    func unsent(_ wanted: Set<StateKey>, user: UserID, device: String?, room: RoomID) -> Set<StateKey> {
        let held = records.withLock { $0[Device(user: user, device: device ?? "")]?.confirmed[room] } ?? []
        return wanted.subtracting(held)
    }

    /// Records the response handed out for a request from `since`, ending at `next`, with the members it sent.
    func issued(user: UserID, device: String?, since: SyncToken?, next: SyncToken, added: [RoomID: Set<StateKey>]) {
        guard next != since || !added.isEmpty else { return }
        let key = Device(user: user, device: device ?? "")
        records.withLock { records in
            var record = records[key] ?? Record()
            var response = Issued(parent: since, added: added)
            if let index = record.issued.firstIndex(where: { $0.token == next }) {
                // Two responses ended at the same token: the device holds only what both sent.
                let earlier = record.issued.remove(at: index).response
                var common: [RoomID: Set<StateKey>] = [:]
                for (room, members) in added {
                    if let other = earlier.added[room] { common[room] = members.intersection(other) }
                }
                response.added = common
                if earlier.parent != since { response.parent = nil }
            }
            record.issued.append((next, response))
            if record.issued.count > Self.issuedKept { record.issued.removeFirst(record.issued.count - Self.issuedKept) }
            records[key] = record
        }
    }
}
