public import Federation
public import Logging
public import MatrixTypes
public import RoomStore
public import Rooms
import Storage
import Synchronization

/// Older history of a room from the other servers in it, for `/messages`: `/backfill` from the events the stored
/// history is missing, each event checked (signatures, hashes), the state before those whose `prev_events` are not
/// held here asked for with `/state` and checked as a join's state is, then handed to the room's writer oldest first,
/// which authorises each against the state before it.
public struct FederationBackfill: HistoryBackfill {
    let client: FederationClient
    let store: RoomStore
    let verifier: ReceivedPDUVerifier
    let writer: any EventWriting
    let serverName: ServerName
    let logger: Logger
    let attempts: BackfillAttempts
    let clock: @Sendable () -> Int64

    /// Servers asked in turn before giving up on one fetch.
    static let serversTried = 5
    /// `/state` requests at most per fetch: each answers a whole room state.
    static let stateRequests = 5

    public init(
        client: FederationClient, store: RoomStore, verifier: ReceivedPDUVerifier, writer: any EventWriting, serverName: ServerName,
        logger: Logger, clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.client = client
        self.store = store
        self.verifier = verifier
        self.writer = writer
        self.serverName = serverName
        self.logger = logger
        self.attempts = BackfillAttempts()
        self.clock = clock
    }

    public func backfill(_ roomID: RoomID, before extremities: [EventID], limit: Int) async -> Bool {
        guard attempts.begin(roomID, now: clock()) else { return false }
        let added = await fetch(roomID, before: extremities, limit: limit)
        attempts.end(roomID, added: added, now: clock())
        return added
    }

    private func fetch(_ roomID: RoomID, before extremities: [EventID], limit: Int) async -> Bool {
        do {
            let version = try await RoomVersions(store: store).version(of: roomID)
            for server in try await servers(in: roomID).prefix(Self.serversTried) {
                do {
                    return try await backfill(roomID, version: version, before: extremities, limit: limit, from: server)
                } catch {
                    logger.info("fetching older history failed", metadata: ["room": "\(roomID)", "server": "\(server)", "error": "\(error)"])
                }
            }
        } catch {
            logger.warning("fetching older history failed", metadata: ["room": "\(roomID)", "error": "\(error)"])
        }
        return false
    }

    /// The other servers with users joined to the room, those with the most first (the likeliest to hold its history).
    private func servers(in roomID: RoomID) async throws(RoomError) -> [ServerName] {
        let joined = try await RoomError.catching { try await store.members(of: roomID, membership: Membership.join) }
        var counts: [ServerName: Int] = [:]
        for user in joined where user.serverName != serverName { counts[user.serverName, default: 0] += 1 }
        return counts.sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }.map(\.key)
    }

    private func backfill(
        _ roomID: RoomID, version: RoomVersion, before extremities: [EventID], limit: Int, from server: ServerName
    ) async throws -> Bool {
        let room = FederationTarget.encoded(roomID.rawValue)
        let answer = try await client.get(
            FederationTarget.make(
                "/_matrix/federation/v1/backfill/\(room)", query: extremities.map { ("v", $0.rawValue) } + [("limit", "\(limit)")]
            ),
            from: server
        )
        var received: [EventID: PDU] = [:]
        for json in (answer["pdus"]?.arrayValue ?? []).prefix(limit) {
            guard let event = try? await verifier.verify(json, version: version), event.roomID == roomID else { continue }
            received[event.eventID] = event
        }
        let events = received.values.sorted { ($0.depth, $0.eventID) < ($1.depth, $1.eventID) }
        let held = try await RoomError.catching { try await store.storedEvents(Set(events.flatMap(\.prevEventIDs))) }
        var available = Set(held.filter { !$0.outlier }.map(\.eventID))
        var added: [PDU] = []
        var statesBefore: [EventID: JoinedRoomState] = [:]
        for event in events {
            if !event.prevEventIDs.allSatisfy(available.contains) {
                // Below the oldest event this fetch joins to: its state comes from the server, within bounds.
                guard statesBefore.count < Self.stateRequests else { continue }
                statesBefore[event.eventID] = try await AnsweredState(verifier: verifier, logger: logger).fetched(
                    before: event, version: version, from: server, client: client
                )
            }
            available.insert(event.eventID)
            added.append(event)
        }
        guard !added.isEmpty else { return false }
        let outcomes = try await writer.receive(ReceivedEvents(roomID: roomID, events: added, kind: .history, statesBefore: statesBefore))
        for outcome in outcomes {
            if case .rejected(let reason) = outcome.status {
                logger.info("rejected an event of older history", metadata: ["event": "\(outcome.eventID)", "reason": "\(reason)"])
            }
        }
        return outcomes.contains { $0.streamOrdering != nil }
    }
}

/// One fetch of a room's older history at a time (a page asked for meanwhile reads what is stored), and after a fetch
/// that added nothing (no server had it, or none answered) a pause before the next, doubling from a minute to an
/// hour, so a history no server can give is not asked for on every page.
final class BackfillAttempts: Sendable {
    private struct Attempt {
        var inFlight = false
        var retryAfter: Int64 = 0
        var failures = 0
    }

    private let rooms = Mutex<[RoomID: Attempt]>([:])

    static let firstPause: Int64 = 60_000
    static let longestPause: Int64 = 3_600_000
    /// Rooms remembered at most; past it the memory starts over (keeping fetches in flight).
    static let capacity = 10_000

    /// Whether a fetch for `room` may start now; if so it is marked in flight.
    func begin(_ room: RoomID, now: Int64) -> Bool {
        rooms.withLock { rooms in
            if rooms.count >= Self.capacity, rooms[room] == nil { rooms = rooms.filter { $0.value.inFlight } }
            var attempt = rooms[room] ?? Attempt()
            guard !attempt.inFlight, attempt.retryAfter <= now else { return false }
            attempt.inFlight = true
            rooms[room] = attempt
            return true
        }
    }

    /// The fetch for `room` ended; one that added nothing pauses the next.
    func end(_ room: RoomID, added: Bool, now: Int64) {
        rooms.withLock { rooms in
            guard !added else {
                rooms[room] = nil
                return
            }
            var attempt = rooms[room] ?? Attempt()
            attempt.inFlight = false
            attempt.failures += 1
            attempt.retryAfter = now + min(Self.firstPause << min(attempt.failures - 1, 16), Self.longestPause)
            rooms[room] = attempt
        }
    }
}
