import Federation
import Logging
import MatrixTypes
import NIOHTTP1

/// The PDUs waiting for one destination, sent as transactions one at a time (the spec allows one in flight per
/// destination), at most 50 PDUs each, in the order they were written. A failed transaction is retried after a
/// pause that doubles up to ten minutes, or as soon as the destination is heard from (`wake()`).
actor DestinationQueue {
    let destination: ServerName
    private let send: @Sendable (_ txnID: String, _ pdus: [JSONValue]) async throws(FederationRequestError) -> Void
    private let logger: Logger
    private var pending: [JSONValue] = []
    private var running = false
    private var backoff: Duration?
    private var retryNow: CheckedContinuation<Void, Never>?
    private var nextTransaction = 0
    private let transactionPrefix: String

    /// PDUs kept at most for a destination that does not answer; older ones are dropped beyond it (the destination
    /// fetches them with `get_missing_events` once it sees a newer one).
    static let capacity = 10_000
    static let pdusPerTransaction = 50
    static let firstBackoff: Duration = .seconds(2)
    static let longestBackoff: Duration = .seconds(600)

    init(
        destination: ServerName, transactionPrefix: String, logger: Logger,
        send: @escaping @Sendable (_ txnID: String, _ pdus: [JSONValue]) async throws(FederationRequestError) -> Void
    ) {
        self.destination = destination
        self.transactionPrefix = transactionPrefix
        self.logger = logger
        self.send = send
    }

    func enqueue(_ pdus: [JSONValue]) {
        pending += pdus
        if pending.count > Self.capacity {
            let dropped = pending.count - Self.capacity
            pending.removeFirst(dropped)
            logger.warning("dropped the oldest PDUs for an unreachable server", metadata: ["destination": "\(destination)", "dropped": "\(dropped)"])
        }
        if !running {
            running = true
            Task { await drain() }
        }
    }

    /// The destination was heard from: a pending retry goes now.
    func wake() {
        backoff = nil
        retryNow?.resume()
        retryNow = nil
    }

    var waiting: Int { pending.count }

    private func drain() async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(Self.pdusPerTransaction))
            nextTransaction += 1
            do {
                try await send("\(transactionPrefix)\(nextTransaction)", batch)
                pending.removeFirst(min(batch.count, pending.count))
                backoff = nil
            } catch {
                if Self.isPermanent(error) {
                    logger.warning("a server refused a transaction; its PDUs are dropped", metadata: ["destination": "\(destination)", "error": "\(error)"])
                    pending.removeFirst(min(batch.count, pending.count))
                    continue
                }
                let pause = backoff.map { min($0 * 2, Self.longestBackoff) } ?? Self.firstBackoff
                backoff = pause
                logger.info("sending a transaction failed; retrying later", metadata: ["destination": "\(destination)", "error": "\(error)", "retry": "\(pause)"])
                await sleep(pause)
            }
        }
        running = false
    }

    /// Sleeps for `pause` or until `wake()`.
    private func sleep(_ pause: Duration) async {
        await withCheckedContinuation { continuation in
            retryNow = continuation
            Task {
                try? await Task.sleep(for: pause)
                self.resumeRetry()
            }
        }
    }

    private func resumeRetry() {
        retryNow?.resume()
        retryNow = nil
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
