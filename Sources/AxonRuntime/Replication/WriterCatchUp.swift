import Logging
import Replication
import Storage

/// A client reader's wait, before answering a request that does not long-poll, until it has seen every position the
/// writers had handed out when the request arrived (read from the database's sequences in one statement). A client
/// that wrote through the main process and reads here at once then sees its write, as on one process. Bounded: a
/// reader cut off from Redis answers after `limit` with what it has.
struct WriterCatchUp {
    let follower: StreamFollower
    let database: any Database
    let logger: Logger

    static let limit: Duration = .seconds(1)
    static let streams: [StreamName] = [.events, .receipts, .accountData, .toDevice, .deviceLists]

    func wait() async {
        let deadline = ContinuousClock.now + Self.limit
        let allocated: [String: Int64]
        do {
            allocated = try await StreamIDAllocator.maxAllocated(streams: Self.streams.map(\.rawValue), database: database)
        } catch {
            logger.debug("could not read the writers' positions", metadata: ["error": "\(error)"])
            return
        }
        for stream in Self.streams {
            guard let position = allocated[stream.rawValue], follower.position(of: stream) < position else { continue }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return }
            _ = await follower.waitUntil(stream, reaches: position, timeout: remaining)
        }
    }
}
