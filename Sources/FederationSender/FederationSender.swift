public import Federation
public import Logging
public import MatrixTypes
public import RoomStore
import NIOHTTP1
import Replication
import Storage
import Synchronization

/// Sends the events this server's users write to every other server in their rooms. It follows the events stream
/// from where it stands when it starts, takes each event that joined a room's timeline and was sent by a local
/// user, and queues it for each server with a user joined to the room (and, for a membership change, the member's
/// own server), one `DestinationQueue` per destination. With several senders (`federation_sender_instances`) each
/// serves the destinations that hash to it.
public final class FederationSender: Sendable {
    let store: RoomStore
    let client: FederationClient
    let serverName: ServerName
    let shard: (index: Int, count: Int)
    let logger: Logger
    private let queues = Mutex<[ServerName: DestinationQueue]>([:])
    private let transactionPrefix: String

    /// Events read from the stream at once.
    static let batchSize = 200

    public init(
        store: RoomStore, client: FederationClient, serverName: ServerName, instances: [String], instance: String, logger: Logger,
        clock: @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.store = store
        self.client = client
        self.serverName = serverName
        shard = (instances.firstIndex(of: instance) ?? 0, max(instances.count, 1))
        self.logger = logger
        // Transaction IDs must not repeat for a destination, across restarts too.
        transactionPrefix = "\(clock())_"
    }

    /// Whether `destination` falls to this sender.
    func serves(_ destination: ServerName) -> Bool {
        shard.count == 1 || Int(StableHash.fnv1a(destination.rawValue.utf8) % UInt64(shard.count)) == shard.index
    }

    /// `destination` was heard from: its queue retries now rather than after its backoff.
    public func wake(_ destination: ServerName) {
        let queue = queues.withLock { $0[destination] }
        if let queue { Task { await queue.wake() } }
    }

    /// Follows the events stream until cancelled.
    public func run() async {
        var position = store.persistedUpTo
        for await upTo in store.positions() {
            while position < upTo, !Task.isCancelled {
                do {
                    let events = try await store.timelineEvents(after: position, upTo: upTo, limit: Self.batchSize)
                    try await send(events)
                    position = events.count < Self.batchSize ? upTo : (events.last?.streamOrdering ?? upTo)
                } catch {
                    logger.warning("reading events to send failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    private func send(_ events: [StoredEvent]) async throws(RoomStoreError) {
        var servers: [RoomID: Set<ServerName>] = [:]
        for event in events where event.sender.serverName == serverName {
            if servers[event.roomID] == nil {
                let joined = try await store.members(of: event.roomID, membership: "join")
                servers[event.roomID] = Set(joined.map(\.serverName))
            }
            var destinations = servers[event.roomID] ?? []
            if event.type == "m.room.member", let member = event.stateKey.flatMap({ try? UserID($0) }) {
                destinations.insert(member.serverName)
            }
            destinations.remove(serverName)
            guard !destinations.isEmpty, let json = try? JSONValue.parse(event.json) else { continue }
            for destination in destinations where serves(destination) {
                await queue(for: destination).enqueue([json])
            }
        }
    }

    private func queue(for destination: ServerName) -> DestinationQueue {
        queues.withLock { queues in
            if let queue = queues[destination] { return queue }
            let (client, origin) = (client, serverName)
            let queue = DestinationQueue(destination: destination, transactionPrefix: transactionPrefix, logger: logger) { txnID, pdus throws(FederationRequestError) in
                _ = try await client.send(
                    .PUT, "/_matrix/federation/v1/send/\(FederationTarget.encoded(txnID))", to: destination,
                    content: [
                        "origin": .string(origin.rawValue), "origin_server_ts": .integer(currentMilliseconds()), "pdus": .array(pdus), "edus": [],
                    ]
                )
            }
            queues[destination] = queue
            return queue
        }
    }
}
