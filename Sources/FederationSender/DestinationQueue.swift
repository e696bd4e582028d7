import E2EE
import Federation
import Logging
import MatrixTypes
import NIOHTTP1

/// A local event queued for a destination, with where it stands in the events stream.
struct QueuedPDU: Sendable {
    var json: JSONValue
    var roomID: String
    var streamOrdering: Int64
}

/// The PDUs and EDUs waiting for one destination, sent as transactions one at a time (the spec allows one in flight
/// per destination), at most 50 PDUs and 100 EDUs each, in the order they were written. A failed transaction is retried after
/// the retry policy's pause for as many failures in a row (Synapse's `federation:` pacing: long retries, then the
/// destination's own backoff), or as soon as the destination is heard from (`wake()`). Each acknowledged
/// transaction's PDUs are reported (`delivered`, also those of a transaction refused for good), so a restarted sender
/// knows what to catch the destination up on. EDUs that must not be lost (to-device messages, device-list updates)
/// stay in the database (`EncryptionOutbox`) and are read a transaction's worth at a time, then deleted once acknowledged.
actor DestinationQueue {
    let destination: ServerName
    private let send: @Sendable (_ txnID: String, _ pdus: [JSONValue], _ edus: [JSONValue]) async throws(FederationRequestError) -> Void
    private let delivered: @Sendable ([QueuedPDU]) async -> Void
    private let logger: Logger
    private var pending: [QueuedPDU] = []
    private var pendingEDUs: [JSONValue] = []
    /// What capacity dropped from the front since the transaction in flight was taken (it came from its front).
    private var droppedPDUs = 0
    private var droppedEDUs = 0
    private var running = false
    private let retries: FederationRetryPolicy
    /// Transactions failed in a row since the last one delivered or the destination was last heard from.
    private var failures = 0
    private var retryNow: CheckedContinuation<Void, Never>?
    /// Counts sleeps, so a timer knows whether the sleep it was started for is still the current one.
    private var sleeps = 0
    /// Ends the current sleep when its pause is over; cancelled by `wake()`, which ends it sooner.
    private var timer: Task<Void, Never>?
    private var nextTransaction = 0
    private let transactionPrefix: String
    private let durable: EncryptionOutbox?
    /// The database may hold durable EDUs for the destination not yet read.
    private var durableWaiting = false

    /// PDUs kept at most for a destination that does not answer; older ones are dropped beyond it (the destination
    /// fetches them with `get_missing_events` once it sees a newer one).
    static let capacity = 10_000
    /// EDUs kept at most; typing and receipts are soon out of date, so older ones are dropped beyond it.
    static let eduCapacity = 1_000
    static let pdusPerTransaction = 50
    static let edusPerTransaction = 100

    init(
        destination: ServerName, transactionPrefix: String, retries: FederationRetryPolicy, logger: Logger, durable: EncryptionOutbox? = nil,
        delivered: @escaping @Sendable ([QueuedPDU]) async -> Void = { _ in },
        send: @escaping @Sendable (_ txnID: String, _ pdus: [JSONValue], _ edus: [JSONValue]) async throws(FederationRequestError) -> Void
    ) {
        self.destination = destination
        self.transactionPrefix = transactionPrefix
        self.retries = retries
        self.logger = logger
        self.delivered = delivered
        self.durable = durable
        self.send = send
    }

    func enqueue(pdus: [QueuedPDU] = [], edus: [JSONValue] = []) {
        pending += pdus
        pendingEDUs += edus
        if pending.count > Self.capacity {
            let dropped = pending.count - Self.capacity
            pending.removeFirst(dropped)
            droppedPDUs += dropped
            logger.warning("dropped the oldest PDUs for an unreachable server", metadata: ["destination": "\(destination)", "dropped": "\(dropped)"])
        }
        if pendingEDUs.count > Self.eduCapacity {
            droppedEDUs += pendingEDUs.count - Self.eduCapacity
            pendingEDUs.removeFirst(pendingEDUs.count - Self.eduCapacity)
        }
        if !running {
            running = true
            Task { await drain() }
        }
    }

    /// Durable EDUs were written for the destination: they go with the next transaction.
    func durableEDUsWaiting() {
        durableWaiting = true
        if !running {
            running = true
            Task { await drain() }
        }
    }

    /// The destination was heard from: a pending retry goes now.
    func wake() {
        failures = 0
        timer?.cancel()
        timer = nil
        retryNow?.resume()
        retryNow = nil
    }

    private func drain() async {
        while !pending.isEmpty || !pendingEDUs.isEmpty || durableWaiting {
            // Durable EDUs are read first: the read suspends, and what `enqueue` trims meanwhile must not shift the
            // prefixes taken below. They leave room for half a transaction of the EDUs in memory.
            let stored = await durableEDUs(room: Self.edusPerTransaction - min(pendingEDUs.count, Self.edusPerTransaction / 2))
            let pdus = Array(pending.prefix(Self.pdusPerTransaction))
            let edus = Array(pendingEDUs.prefix(Self.edusPerTransaction - stored.count))
            (droppedPDUs, droppedEDUs) = (0, 0)
            guard !pdus.isEmpty || !edus.isEmpty || !stored.isEmpty else { continue }
            nextTransaction += 1
            do {
                try await send("\(transactionPrefix)\(nextTransaction)", pdus.map(\.json), edus + stored.compactMap { $0.edu.objectValue.map(JSONValue.object) })
                taken(pdus: pdus.count, edus: edus.count)
                failures = 0
                if !pdus.isEmpty { await delivered(pdus) }
                await durableDelivered(stored)
                continue
            } catch {
                if Self.isPermanent(error) {
                    logger.warning("a server refused a transaction; its contents are dropped", metadata: ["destination": "\(destination)", "error": "\(error)"])
                    taken(pdus: pdus.count, edus: edus.count)
                    // Done with, as if delivered: a restart must not send them again.
                    if !pdus.isEmpty { await delivered(pdus) }
                    // To-device messages and device-list updates have no other way there: they are dropped only when
                    // the transaction itself was malformed, and otherwise tried again after a pause.
                    guard Self.isMalformed(error) || stored.isEmpty else {
                        durableWaiting = true
                        await pause(after: error)
                        continue
                    }
                    await durableDelivered(stored)
                    continue
                }
                if !stored.isEmpty { durableWaiting = true }
                await pause(after: error)
            }
        }
        running = false
    }

    /// Waits out the retry policy's pause for one more failure in a row (or until `wake()`).
    private func pause(after error: FederationRequestError) async {
        failures += 1
        let pause = min(FederationRetryPolicy.jittered(retries.transactionPause(afterFailures: failures)), retries.destinationMaxRetryInterval)
        logger.info("sending a transaction failed; retrying later", metadata: ["destination": "\(destination)", "error": "\(error)", "retry": "\(pause)"])
        await sleep(pause)
    }

    /// Up to `room` durable EDUs from the database, when some may be waiting; a full page means more may be.
    private func durableEDUs(room: Int) async -> [(id: Int64, edu: JSONValue)] {
        guard durableWaiting, room > 0, let durable else {
            if durable == nil { durableWaiting = false }
            return []
        }
        durableWaiting = false
        do {
            let stored = try await durable.next(for: destination, limit: room)
            if stored.count == room { durableWaiting = true }
            return stored
        } catch {
            logger.warning("could not read the EDUs waiting for a server", metadata: ["destination": "\(destination)", "error": "\(error)"])
            return []
        }
    }

    /// Deletes acknowledged durable EDUs; if that fails they are sent again, which their receivers recognise.
    private func durableDelivered(_ stored: [(id: Int64, edu: JSONValue)]) async {
        guard !stored.isEmpty, let durable else { return }
        do {
            try await durable.delivered(stored.map(\.id))
        } catch {
            logger.warning("could not forget EDUs a server acknowledged", metadata: ["destination": "\(destination)", "error": "\(error)"])
        }
    }

    /// Removes what a transaction carried and is still queued (capacity may have dropped some of it meanwhile).
    private func taken(pdus: Int, edus: Int) {
        pending.removeFirst(min(max(pdus - droppedPDUs, 0), pending.count))
        pendingEDUs.removeFirst(min(max(edus - droppedEDUs, 0), pendingEDUs.count))
    }

    /// Sleeps for `pause` or until `wake()`; the timer of an earlier sleep cannot end a later one.
    private func sleep(_ pause: Duration) async {
        sleeps += 1
        let current = sleeps
        await withCheckedContinuation { continuation in
            retryNow = continuation
            timer = Task {
                guard (try? await Task.sleep(for: pause)) != nil else { return }
                self.resumeRetry(ifStill: current)
            }
        }
    }

    private func resumeRetry(ifStill sleep: Int) {
        guard sleep == sleeps else { return }
        retryNow?.resume()
        retryNow = nil
    }

    /// A refusal of the transaction's own form (`400`), which no later try of the same content escapes.
    private static func isMalformed(_ error: FederationRequestError) -> Bool {
        if case .refused(400, _, _) = error { return true }
        return false
    }

    /// A refusal that a retry would only repeat (the request itself is wrong); rate limits and server errors are not.
    private static func isPermanent(_ error: FederationRequestError) -> Bool {
        switch error {
        case .refused(let status, _, _): (400..<500).contains(status) && status != 429 && status != 408
        case .unsignable: true
        case .transport, .malformedResponse: false
        }
    }
}
