import Accounts
public import MatrixTypes
public import Replication
public import Storage

/// `/sendToDevice` and the `to_device` section of `/sync`: messages stored per recipient device at positions of
/// the `to_device` stream, delivered in order and deleted once the device syncs past them.
public final class ToDeviceService: Sendable {
    private let database: any Database
    private let stream: StreamAccess
    private let bus: any ReplicationBus
    private let serverName: ServerName
    private let clock: WallClock

    public init(
        database: any Database, stream: StreamAccess, bus: any ReplicationBus, serverName: ServerName,
        clock: WallClock = .system
    ) {
        self.database = database
        self.stream = stream
        self.bus = bus
        self.serverName = serverName
        self.clock = clock
    }

    public var position: Int64 { stream.persistedUpTo }
    public var allocatedUpTo: Int64 { stream.allocatedUpTo }
    public func positions() -> AsyncStream<Int64> { stream.positions() }

    /// Most messages one request may carry, and most one `/sync` response delivers to a device (the rest follow in
    /// the next, none skipped).
    static let maximumMessagesPerRequest = 10_000
    public static let maximumMessagesPerSync = 100
    /// How long a transaction ID is remembered: a retry comes within minutes.
    static let transactionLifetime: Int64 = 24 * 60 * 60 * 1000

    /// `PUT /sendToDevice/{eventType}/{txnId}`: `messages` maps user IDs to device IDs (or `*`, every device) to
    /// content. A transaction ID the sender's device already used delivers nothing again. Messages for other servers'
    /// users are queued for them in the same transaction, one `m.direct_to_device` EDU per server.
    public func send(type: String, transactionID: String, messages: JSONObject, requester: Requester) async throws(E2EEError) {
        let batches = try Self.checked(messages)
        let local = batches.filter { isLocal($0.user) }
        let remote = Dictionary(grouping: batches.filter { !isLocal($0.user) }, by: \.user.serverName)
        // One position per local recipient, and one announcing the messages for other servers to their sender.
        let count = local.count + (remote.isEmpty ? 0 : 1)
        guard count > 0 else {
            _ = try await recordOnly(transactionID, requester: requester)
            return
        }
        let sender = requester.userID.rawValue
        let now = clock.now()
        let (delivered, positions) = try await E2EEError.catching {
            try await stream.writer(StreamName.toDevice.rawValue).write(count: count) { transaction, streamIDs -> Bool in
                try DeviceInboxTransactionsTable.prune(before: now - Self.transactionLifetime, in: transaction)
                guard try DeviceInboxTransactionsTable.record(
                    userID: sender, deviceID: requester.deviceID, txnID: transactionID, now: now, in: transaction
                ) else { return false }
                try Self.deliver(local, type: type, sender: sender, at: streamIDs, in: transaction)
                for (server, batches) in remote {
                    let messages = JSONObject(uniqueKeysWithValues: batches.map { batch in
                        (batch.user.rawValue, JSONValue.object(JSONObject(uniqueKeysWithValues: batch.contents.map { ($0.device, $0.content) })))
                    })
                    let edu: JSONValue = [
                        "edu_type": "m.direct_to_device",
                        "content": [
                            "sender": .string(sender), "type": .string(type), "message_id": .string(SecureRandom.letters(16)),
                            "messages": .object(messages),
                        ],
                    ]
                    try EncryptionOutbox.queue(edu, for: [server], in: transaction)
                }
                return true
            }
        }
        guard delivered else { return }
        for (batch, position) in zip(local, positions) {
            bus.publish(StreamNotice(stream: .toDevice, position: position, users: [batch.user]))
        }
        if !remote.isEmpty, let last = positions.last { bus.publish(StreamNotice(stream: .toDevice, position: last)) }
    }

    /// Stores each batch's messages for the existing devices it names; `*` alone names every device of the user, and
    /// beside device IDs it is ignored, as Synapse reads it. Batch `i` at `streamIDs[i]`.
    private static func deliver(_ batches: [Batch], type: String, sender: String, at streamIDs: [Int64], in transaction: any Transaction) throws {
        let devices = Dictionary(grouping: try DeviceDirectory.devices(of: batches.map(\.user.rawValue), in: transaction)) { JSONKey($0.userID) }
        for (batch, streamID) in zip(batches, streamIDs) {
            let known = (devices[JSONKey(batch.user.rawValue)] ?? []).map { JSONKey($0.deviceID) }
            var contents: [JSONKey: JSONValue] = [:]
            if batch.contents.count == 1, let everyone = batch.contents.first, everyone.device == "*" {
                for device in known { contents[device] = everyone.content }
            } else {
                for (device, content) in batch.contents where known.contains(JSONKey(device)) { contents[JSONKey(device)] = content }
            }
            for (device, content) in contents {
                let message: JSONValue = ["type": .string(type), "sender": .string(sender), "content": content]
                try DeviceInboxTable.insert(
                    userID: batch.user.rawValue, deviceID: device.string, streamID: streamID, json: String(decoding: message.encoded(), as: UTF8.self),
                    in: transaction
                )
            }
        }
    }

    /// `m.direct_to_device` from `origin`: its sender's messages for this server's users, delivered as a local send
    /// is. A `message_id` the sender already used delivers nothing again.
    public func receive(_ content: JSONValue, from origin: ServerName) async throws(E2EEError) {
        guard let sender = content["sender"]?.stringValue.flatMap({ try? UserID($0) }), sender.serverName == origin,
            let type = content["type"]?.stringValue, let messageID = content["message_id"]?.stringValue,
            let messages = content["messages"]?.objectValue
        else { throw .invalid("m.direct_to_device needs sender (of the origin), type, message_id and messages") }
        let batches = try Self.checked(messages).filter { isLocal($0.user) }
        guard !batches.isEmpty else { return }
        let now = clock.now()
        let (delivered, positions) = try await E2EEError.catching {
            try await stream.writer(StreamName.toDevice.rawValue).write(count: batches.count) { transaction, streamIDs -> Bool in
                guard try DeviceInboxTransactionsTable.record(
                    userID: sender.rawValue, deviceID: "", txnID: messageID, now: now, in: transaction
                ) else { return false }
                try Self.deliver(batches, type: type, sender: sender.rawValue, at: streamIDs, in: transaction)
                return true
            }
        }
        guard delivered else { return }
        for (batch, position) in zip(batches, positions) {
            bus.publish(StreamNotice(stream: .toDevice, position: position, users: [batch.user]))
        }
    }

    private func isLocal(_ user: UserID) -> Bool {
        user.serverName.rawValue.hasSameBytes(as: serverName.rawValue)
    }

    /// A send with no local recipient still claims its transaction ID, so its retry is recognised too.
    private func recordOnly(_ transactionID: String, requester: Requester) async throws(E2EEError) -> Bool {
        let now = clock.now()
        return try await E2EEError.catching {
            try await database.write { transaction in
                try DeviceInboxTransactionsTable.record(
                    userID: requester.userID.rawValue, deviceID: requester.deviceID, txnID: transactionID, now: now, in: transaction
                )
            }
        }
    }

    /// One recipient user's messages, by device ID or `*`.
    private struct Batch {
        var user: UserID
        var contents: [(device: String, content: JSONValue)]
    }

    private static func checked(_ messages: JSONObject) throws(E2EEError) -> [Batch] {
        var batches: [Batch] = []
        var count = 0
        for (userText, devices) in messages.sortedByKey() {
            guard let user = try? UserID(userText) else { throw .invalid("\(userText) is not a user ID") }
            guard let devices = devices.objectValue else { throw .invalid("messages.\(userText) must be an object of device IDs") }
            var batch = Batch(user: user, contents: [])
            for (device, content) in devices.sortedByKey() {
                guard content.objectValue != nil else { throw .invalid("messages.\(userText).\(device) must be an object") }
                batch.contents.append((device, content))
            }
            count += batch.contents.count
            guard count <= maximumMessagesPerRequest else { throw .tooMany("At most \(maximumMessagesPerRequest) messages per request") }
            if !batch.contents.isEmpty { batches.append(batch) }
        }
        return batches
    }

    /// What `/sync` hands `device` of `user`: messages after `acknowledged` up to `upTo`, at most
    /// `maximumMessagesPerSync`, after deleting those up to `acknowledged`, which the device synced past. Returns the
    /// messages and the position the next token carries: `upTo`, or the last message's when more wait.
    public func deliver(
        to user: UserID, device: String, acknowledged: Int64?, upTo: Int64
    ) async throws(E2EEError) -> (messages: [JSONValue], position: Int64) {
        let after = acknowledged ?? 0
        // Nothing was sent to anyone since: what the device acknowledged goes with the next message's delivery.
        guard after < upTo else { return ([], upTo) }
        let rows = try await E2EEError.catching {
            let (rows, acknowledgedWaiting) = try await database.read { connection in
                (
                    try DeviceInboxTable.messages(
                        userID: user.rawValue, deviceID: device, after: after, upTo: upTo, limit: Self.maximumMessagesPerSync, in: connection
                    ),
                    try acknowledged.map { try DeviceInboxTable.hasMessages(userID: user.rawValue, deviceID: device, upTo: $0, in: connection) } ?? false
                )
            }
            // Written only when there is something to delete: most syncs acknowledge nothing new.
            if let acknowledged, acknowledgedWaiting {
                try await database.write { transaction in
                    try DeviceInboxTable.deleteDelivered(userID: user.rawValue, deviceID: device, upTo: acknowledged, in: transaction)
                }
            }
            return rows
        }
        let position = rows.count == Self.maximumMessagesPerSync ? rows.last?.streamID ?? upTo : upTo
        return (rows.compactMap { try? JSONValue.parse($0.json) }, position)
    }

    /// The notices of the messages in `(after, upTo]`, read again for a process that missed them.
    public func notices(after: Int64, upTo: Int64) async throws(E2EEError) -> [StreamNotice] {
        try await CatchUpPages.notices(
            after: after,
            page: { from throws(E2EEError) in
                try await E2EEError.catching {
                    try await database.read { connection in
                        try DeviceInboxTable.recipients(after: from, upTo: upTo, limit: CatchUpPages.pageSize, in: connection)
                    }
                }
            },
            position: \.streamID,
            notice: { row in (try? UserID(row.userID)).map { StreamNotice(stream: .toDevice, position: row.streamID, users: [$0]) } }
        )
    }
}
