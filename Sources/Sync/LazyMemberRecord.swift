import MatrixTypes
import Synchronization

/// Which members' events each device has already been sent per room, so lazy-loading syncs send each only once
/// (until the device asks for full state).
final class LazyMemberRecord: Sendable {
    private struct Key: Hashable {
        let user: UserID
        let device: String
        let room: RoomID
    }

    private let sent = Mutex<[Key: Set<String>]>([:])

    /// The members among `wanted` not yet sent to this device, recording them as sent.
    func unsent(_ wanted: Set<String>, user: UserID, device: String?, room: RoomID, reset: Bool) -> Set<String> {
        let key = Key(user: user, device: device ?? "", room: room)
        return sent.withLock { sent in
            if reset { sent[key] = nil }
            let already = sent[key] ?? []
            sent[key, default: []].formUnion(wanted)
            return wanted.subtracting(already)
        }
    }
}
