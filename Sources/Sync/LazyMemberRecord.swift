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
        var confirmedCount = 0
        /// Responses not yet confirmed by a request continuing from them, oldest first.
        var issued: [(token: SyncToken, response: Issued)] = []
        /// When the device last synced, on `Records.clock`.
        var lastUsed: UInt64 = 0
    }

    private struct Records {
        var byDevice: [Device: Record] = [:]
        var clock: UInt64 = 0
    }

    /// Unconfirmed responses kept per device; an older one is forgotten, and its members are sent again.
    static let issuedKept = 8

    /// Forgetting only costs resending members, so memory is bounded by dropping records: beyond `devicesKept`
    /// devices the least recently syncing tenth is forgotten, and a device holding more than `membersKept`
    /// confirmed members starts over.
    private let devicesKept: Int
    private let membersKept: Int
    private let records = Mutex(Records())

    init(devicesKept: Int = 10_000, membersKept: Int = 100_000) {
        self.devicesKept = devicesKept
        self.membersKept = membersKept
    }

    /// Devices with a record, for tests of the bound.
    var deviceCount: Int { records.withLock { $0.byDevice.count } }

    /// Starts a request from `since`: what the responses leading to it sent is now known to be held; a full-state
    /// or initial request (`reset`) starts over.
    func start(user: UserID, device: String?, since: SyncToken?, reset: Bool) {
        let key = Device(user: user, device: device ?? "")
        records.withLock { records in
            if reset {
                records.byDevice[key] = nil
                return
            }
            guard var record = records.byDevice[key], let since else { return }
            var token: SyncToken? = since
            var chain: [Issued] = []
            while let current = token, let found = record.issued.last(where: { $0.token == current })?.response,
                chain.count < Self.issuedKept
            {
                chain.append(found)
                token = found.parent
            }
            for response in chain {
                for (room, members) in response.added {
                    let before = record.confirmed[room]?.count ?? 0
                    record.confirmed[room, default: []].formUnion(members)
                    record.confirmedCount += record.confirmed[room, default: []].count - before
                }
            }
            if !chain.isEmpty { record.issued.removeAll() }
            if record.confirmedCount > membersKept { record = Record() }
            records.byDevice[key] = record
        }
    }

    /// The members among `wanted` the device is not known to hold in `room`.
    func unsent(_ wanted: Set<StateKey>, user: UserID, device: String?, room: RoomID) -> Set<StateKey> {
        let held = records.withLock { $0.byDevice[Device(user: user, device: device ?? "")]?.confirmed[room] } ?? []
        return wanted.filter { !held.contains($0) }
    }

    /// Records the response handed out for a request from `since`, ending at `next`, with the members it sent.
    func issued(user: UserID, device: String?, since: SyncToken?, next: SyncToken, added: [RoomID: Set<StateKey>]) {
        guard next != since || !added.isEmpty else { return }
        let key = Device(user: user, device: device ?? "")
        records.withLock { records in
            var record = records.byDevice[key] ?? Record()
            records.clock += 1
            record.lastUsed = records.clock
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
            records.byDevice[key] = record
            if records.byDevice.count > devicesKept { forgetLeastRecent(&records) }
        }
    }

    /// Drops the least recently syncing tenth of the devices at once, so the sort is paid once per tenth.
    private func forgetLeastRecent(_ records: inout Records) {
        let excess = records.byDevice.count - devicesKept + max(1, devicesKept / 10)
        let oldest = records.byDevice.sorted { $0.value.lastUsed < $1.value.lastUsed }.prefix(excess)
        for (device, _) in oldest { records.byDevice[device] = nil }
    }
}
