import AsyncHTTPClient
import AxonConfig
import ClientAPI
import HTTPTypes
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import NIOHTTP1
import Replication
import Rooms
import Synchronization

/// The room services' writer when events have several writers (`stream_writers.events`): a unit goes to the owner of
/// its room (`RoomOwnership`), this process's own room writer or an event persister's replication endpoint, and new
/// rooms to each writer in turn. An answer from elsewhere is returned once this process has seen the events (at most
/// `readYourWritesWait`), so the client's next read here shows them, as it would after a local write.
final class RoutedEventWriter: EventWriting {
    let ownership: RoomOwnership
    let instance: String
    /// This process's room writer, when it is one of the event writers.
    let local: RoomWriter?
    let persisters: [String: PersisterClient]
    let follower: StreamFollower?
    private let nextCreator = Mutex(0)

    static let readYourWritesWait: Duration = .seconds(5)

    init(config: HomeserverConfig, local: RoomWriter?, follower: StreamFollower?, logger: Logger) {
        ownership = RoomOwnership(writers: config.worker.streamWriters.events)
        instance = config.worker.instanceName
        self.local = local
        self.follower = follower
        let secret = ReplicationSecret(config.worker.replicationSecret?.revealed)
        var persisters: [String: PersisterClient] = [:]
        for name in ownership.writers where name != config.worker.instanceName {
            if let location = config.worker.instanceMap[name] {
                persisters[name] = PersisterClient(name: name, baseURL: location.baseURL, secret: secret, logger: logger)
            }
        }
        self.persisters = persisters
    }

    func receive(_ received: ReceivedEvents) async throws(RoomError) -> [ReceivedOutcome] {
        let owner = ownership.owner(of: received.roomID)
        if owner == instance, let local { return try await local.receive(received) }
        guard let persister = persisters[owner] else { throw .writerUnavailable("no instance_map entry for \(owner)") }
        let outcomes = try ReceivedOutcome.fromWire(try await persister.post(ReplicationRoutes.receivePath, received.wireJSON))
        if let follower, let highest = outcomes.compactMap(\.streamOrdering).max() {
            _ = await follower.waitUntil(.events, writer: owner, reaches: highest, timeout: Self.readYourWritesWait)
        }
        return outcomes
    }

    func write(_ unit: WriteUnit) async throws(RoomError) -> [WrittenEvent] {
        let owner: String
        switch unit.target {
        case .existing(let roomID): owner = ownership.owner(of: roomID)
        case .new:
            let turn = nextCreator.withLock { next in
                defer { next = (next + 1) % ownership.writers.count }
                return next
            }
            owner = ownership.writers[turn]
        }
        if owner == instance, let local { return try await local.write(unit) }
        guard let persister = persisters[owner] else { throw .writerUnavailable("no instance_map entry for \(owner)") }
        let written = try await persister.persist(unit)
        if let follower, let highest = written.map(\.streamOrdering).max() {
            _ = await follower.waitUntil(.events, writer: owner, reaches: highest, timeout: Self.readYourWritesWait)
        }
        return written
    }
}

/// Calls to one event persister's replication listener (`instance_map`), carrying `worker_replication_secret`.
struct PersisterClient: Sendable {
    let name: String
    let baseURL: String
    let secret: ReplicationSecret
    let logger: Logger

    /// The largest answer taken from a persister (the events of one unit).
    static let answerLimit = 1024 * 1024

    func persist(_ unit: WriteUnit) async throws(RoomError) -> [WrittenEvent] {
        try WrittenEvent.fromWire(try await post(ReplicationRoutes.persistPath, unit.wireJSON))
    }

    /// The persister's answer to `body` at `path`; its refusal thrown as the room error it reported.
    func post(_ path: String, _ content: JSONValue) async throws(RoomError) -> JSONValue {
        var request = secret.request(baseURL, path, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: content.encoded()))
        let status: UInt
        let body: ByteBuffer
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            status = response.status.code
            body = try await response.body.collect(upTo: Self.answerLimit)
        } catch {
            logger.warning("could not reach an event persister", metadata: ["persister": "\(name)", "error": "\(error)"])
            throw .writerUnavailable("\(name) unreachable")
        }
        let json = try? JSONValue.parse(body.readableBytesView)
        if status == 200, let json { return json }
        if Int(status) == ReplicationRoutes.refusedStatus.code, let json, let refusal = RoomError(wire: json) { throw refusal }
        logger.warning("an event persister did not take a write", metadata: ["persister": "\(name)", "status": "\(status)"])
        throw .writerUnavailable("\(name) answered \(status)")
    }
}
