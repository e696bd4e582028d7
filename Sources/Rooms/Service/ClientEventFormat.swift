import MatrixCrypto
public import MatrixTypes
public import RoomStore

/// Turns stored federation events into the client format: the fields clients read, redacted content for redacted
/// events (and for erased senders' events shown to those not joined then), and `unsigned` with the age and, for
/// the sending device only, the transaction ID.
public enum ClientEventFormat {
    public struct Viewer: Sendable {
        public var userID: UserID
        public var deviceID: String?
        /// The shape the viewer asked for (a sync filter's `event_format`).
        public var format: Format

        public init(userID: UserID, deviceID: String?, format: Format = .client) {
            self.userID = userID
            self.deviceID = deviceID
            self.format = format
        }
    }

    /// `client`: the fields clients read. `federation`: the whole event as servers exchange it (hashes,
    /// signatures, `prev_events`, `auth_events`, `depth`), with its `event_id` and the same `unsigned`, as Synapse
    /// serves it.
    public enum Format: Sendable {
        case client, federation
    }

    /// `replaced` is the state event this one replaced, shown as `unsigned.prev_content` (clients word membership
    /// and name changes from it).
    public static func json(
        _ event: RoomEvent, version: RoomVersion, viewer: Viewer?, now: Int64, includeRoomID: Bool = true, replaced: RoomEvent? = nil
    ) -> JSONValue {
        guard var stored = try? JSONValue.parse(event.json) else { return .object(["event_id": .string(event.eventID.rawValue)]) }
        if event.redactedBy != nil || event.erasedForReader, let redacted = try? EventRedaction.redact(stored, rules: version.redactionRules) {
            stored = redacted
        }
        var client: JSONObject
        if viewer?.format == .federation, let whole = stored.objectValue {
            client = whole
            client["event_id"] = .string(event.eventID.rawValue)
        } else {
            client = [
                "event_id": .string(event.eventID.rawValue),
                "type": .string(event.type),
                "sender": .string(event.sender.rawValue),
                "content": stored["content"] ?? [:],
                "origin_server_ts": stored["origin_server_ts"] ?? 0,
            ]
            if includeRoomID { client["room_id"] = .string(event.roomID.rawValue) }
        }
        if let stateKey = event.stateKey { client["state_key"] = .string(stateKey) }
        if let redacts = stored["redacts"] ?? stored["content"]?["redacts"] { client["redacts"] = redacts }
        var unsigned: JSONObject = [:]
        if let ts = stored["origin_server_ts"]?.integerValue { unsigned["age"] = .integer(max(0, now - ts)) }
        if let viewer, let transaction = event.transaction, transaction.userID == viewer.userID,
            transaction.deviceID == viewer.deviceID
        {
            unsigned["transaction_id"] = .string(transaction.txnID)
        }
        if let replaced, let previous = try? JSONValue.parse(replaced.json) {
            unsigned["replaces_state"] = .string(replaced.eventID.rawValue)
            unsigned["prev_sender"] = .string(replaced.sender.rawValue)
            if replaced.redactedBy == nil { unsigned["prev_content"] = previous["content"] ?? [:] }
        }
        if let redactor = event.redactedBy {
            unsigned["redacted_because"] = ["event_id": .string(redactor.rawValue), "type": .string(EventType.redaction)]
        }
        client["unsigned"] = .object(unsigned)
        return .object(client)
    }
}
