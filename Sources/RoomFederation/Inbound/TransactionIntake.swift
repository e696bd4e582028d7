public import Federation
public import Logging
import MatrixCrypto
public import MatrixTypes
public import RoomStore
public import Rooms
public import Storage
import Synchronization

/// Inbound `/send` transactions: their PDUs are staged in the database before the origin is answered (so an
/// acknowledged PDU survives a crash), then added to their rooms in the order they arrived by `run()`, which also
/// resumes what an earlier run of this process left staged.
public final class TransactionIntake: Sendable {
    let database: any Database
    let versions: RoomVersions
    let acls: ServerACLCheck
    let adder: StagedPDUAdder
    /// Where typing and receipts go (dropped without).
    let edus: (any EDUReceiving)?
    let instance: String
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Told of every origin that sent a transaction: a server that sends is up, so what waits for it can go.
    let heardFrom: @Sendable (ServerName) -> Void
    /// Wakes `run()` when new PDUs are staged.
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// PDUs and EDUs one transaction may carry, as the spec limits them.
    public static let pduLimit = 50
    public static let eduLimit = 100
    /// How long a transaction ID is remembered.
    static let transactionMemory: Int64 = 24 * 60 * 60 * 1000

    public init(
        database: any Database, store: RoomStore, writer: any EventWriting, verifier: ReceivedPDUVerifier, client: FederationClient,
        instance: String, logger: Logger, clock: @escaping @Sendable () -> Int64 = currentMilliseconds,
        edus: (any EDUReceiving)?, heardFrom: @escaping @Sendable (ServerName) -> Void = { _ in }
    ) {
        self.heardFrom = heardFrom
        self.edus = edus
        self.database = database
        self.versions = RoomVersions(store: store)
        self.acls = ServerACLCheck(store: store)
        self.adder = StagedPDUAdder(store: store, writer: writer, verifier: verifier, client: client, versions: versions, logger: logger)
        self.instance = instance
        self.logger = logger
        self.clock = clock
        (wakes, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Stages transaction `txnID` of `origin` and answers it: every staged PDU's ID with `{}` (what becomes of it is
    /// decided later, and a refused PDU never reaches clients). PDUs of rooms this server does not hold, or that do not
    /// decode, are dropped. A retried transaction is answered the same without staging again. EDUs are taken at once
    /// and not kept: a lost typing notification or receipt is replaced by the next, and a to-device message lost to a
    /// storage failure or, in worker mode, to a main process that cannot be reached is lost, as in Synapse.
    public func stage(origin: ServerName, txnID: String, body: JSONValue) async throws(FederationRoomError) -> JSONValue {
        heardFrom(origin)
        let pdus = body["pdus"]?.arrayValue ?? []
        let ephemeral = body["edus"]?.arrayValue ?? []
        guard pdus.count <= Self.pduLimit, ephemeral.count <= Self.eduLimit else {
            throw .badRequest("A transaction carries at most \(Self.pduLimit) PDUs and \(Self.eduLimit) EDUs")
        }
        var rows: [StagedPDUsTable.Row] = []
        var refused: JSONObject = [:]
        for pdu in pdus {
            guard let room = pdu["room_id"]?.stringValue.flatMap({ try? RoomID($0) }), let version = try? await versions.version(of: room),
                let eventID = try? EventHashes.eventID(of: pdu, version: version), let json = try? pdu.canonicalEncoded(for: version)
            else {
                logger.info("dropped a PDU of an unknown room or that does not decode", metadata: ["origin": "\(origin)"])
                continue
            }
            if try await acls.denies(origin, in: room) {
                refused[eventID.rawValue] = ["error": "Server is banned from room"]
                continue
            }
            rows.append(.init(stagedID: 0, origin: origin.rawValue, roomID: room.rawValue, eventID: eventID.rawValue, json: json))
        }
        let now = clock()
        let (instance, staged) = (instance, rows)
        let isNew: Bool
        do {
            isNew = try await database.write { transaction in
                guard try StagedPDUsTable.recordTransaction(origin: origin.rawValue, txnID: txnID, now: now, in: transaction) else { return false }
                try StagedPDUsTable.pruneTransactions(before: now - Self.transactionMemory, in: transaction)
                try StagedPDUsTable.stage(staged, instance: instance, now: now, in: transaction)
                return true
            }
        } catch {
            throw .room(.storage(error as? RoomStoreError ?? RoomStoreError(wrapping: error)))
        }
        if isNew {
            logger.info("staged a transaction", metadata: ["origin": "\(origin)", "txn": "\(txnID)", "pdus": "\(rows.count)", "edus": "\(ephemeral.count)"])
        }
        wake.yield()
        if let edus, !ephemeral.isEmpty { await edus.take(ephemeral, from: origin) }
        var results = refused
        for row in rows { results[row.eventID] = [:] }
        return ["pdus": .object(results)]
    }

    /// Adds staged PDUs to their rooms until cancelled, oldest first, each deleted once added (or refused for
    /// good); a failure of this server's own (storage, an unreachable persister) keeps it for a later try.
    public func run() async {
        var retryDelay: Duration = .milliseconds(100)
        var wakeups = wakes.makeAsyncIterator()
        while !Task.isCancelled {
            let batch: [StagedPDUsTable.Row]
            let instance = instance
            do {
                batch = try await database.read { connection in try StagedPDUsTable.oldest(instance: instance, limit: 100, in: connection) }
            } catch {
                logger.warning("reading staged PDUs failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: retryDelay)
                continue
            }
            if batch.isEmpty {
                guard await wakeups.next() != nil else { return }
                continue
            }
            var stalled = false
            for row in batch {
                guard await adder.add(row) else {
                    stalled = true
                    break
                }
                do {
                    try await database.write { transaction in try StagedPDUsTable.delete(row.stagedID, in: transaction) }
                } catch {
                    stalled = true
                    break
                }
            }
            if stalled {
                try? await Task.sleep(for: retryDelay)
                retryDelay = min(retryDelay * 2, .seconds(30))
            } else {
                retryDelay = .milliseconds(100)
            }
        }
    }
}
