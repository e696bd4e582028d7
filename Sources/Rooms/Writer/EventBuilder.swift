import EventAuth
import Foundation
import MatrixCrypto
import MatrixTypes

/// Builds, signs and authorises the next event of a room from the writer's snapshot.
struct EventBuilder: Sendable {
    let serverName: ServerName
    let signingKey: SigningKey
    let clock: @Sendable () -> Int64

    /// The signed event for `intent` in the room `snapshot` describes (`nil` for a room's create event), checked
    /// against the room's auth rules. `timestamp` replaces the clock's reading (a create event rebuilt to move its
    /// room ID off a taken one).
    func build(_ intent: EventIntent, in snapshot: RoomSnapshot?, version: RoomVersion, roomID: RoomID?, timestamp: Int64? = nil)
        throws(RoomError) -> PDU
    {
        let (template, auth) = try Self.template(
            intent, in: snapshot, version: version, roomID: roomID, timestamp: timestamp ?? clock(), origin: serverName
        )
        var json = template
        if version.eventFormat == .v1 { json["event_id"] = .string(newLegacyEventID(on: serverName)) }
        let event: PDU
        do {
            let signed = try signingKey.hashAndSign(event: .object(json), as: serverName.rawValue, version: version)
            event = try PDU(json: signed, version: version)
        } catch PDUDecodingError.tooLarge {
            throw .eventTooLarge
        } catch {
            throw .invalidEvent("\(error)")
        }
        try Self.authorize(event, auth: auth, in: snapshot)
        return event
    }

    /// The unsigned event for `intent` on top of `snapshot` (prev events, auth events, depth), with the auth events it
    /// names. Without `event_id` in rooms v1–v2: its server picks one.
    static func template(
        _ intent: EventIntent, in snapshot: RoomSnapshot?, version: RoomVersion, roomID: RoomID?, timestamp: Int64, origin: ServerName
    ) throws(RoomError) -> (json: JSONObject, auth: [PDU]) {
        var json: JSONObject = [
            "type": .string(intent.type),
            "sender": .string(intent.sender.rawValue),
            "content": intent.content,
            "origin_server_ts": .integer(timestamp),
            "depth": .integer(min((snapshot?.depth ?? 0) + 1, 9_007_199_254_740_991)),
            "hashes": [:],
            "signatures": [:],
        ]
        if let stateKey = intent.stateKey { json["state_key"] = .string(stateKey) }
        if let roomID { json["room_id"] = .string(roomID.rawValue) }
        if let redacts = intent.redacts, version.redactionRules != .v11 {
            json["redacts"] = .string(redacts.rawValue)
        }
        let prev = snapshot?.extremities ?? []
        let state = snapshot?.state ?? [:]
        let authKeys = AuthEventSelection.stateKeys(
            type: intent.type, sender: intent.sender, stateKey: intent.stateKey, content: intent.content, version: version
        )
        let auth = authKeys.compactMap { key in state[key] }
            .filter { !(version.roomIDFormat == .createEventHash && $0.isCreateEvent) }
            .sorted { $0.eventID < $1.eventID }
        switch version.eventFormat {
        case .v1:
            json["origin"] = .string(origin.rawValue)
            json["prev_events"] = .array(try prev.map(reference))
            json["auth_events"] = .array(try auth.map(reference))
        case .v3:
            json["prev_events"] = .array(prev.map { .string($0.eventID.rawValue) })
            json["auth_events"] = .array(auth.map { .string($0.eventID.rawValue) })
        }
        return (json, auth)
    }

    /// Checks `event` against the auth events it names (and the room's create event).
    static func authorize(_ event: PDU, auth: [PDU], in snapshot: RoomSnapshot?) throws(RoomError) {
        var authState = Dictionary(uniqueKeysWithValues: auth.compactMap { pdu in pdu.stateMapKey.map { ($0, pdu) } })
        authState[.create] = snapshot?.state[.create]
        do {
            try EventAuthorizer.check(event, against: authState)
        } catch {
            throw .forbidden(error.message)
        }
    }

    /// A v1/v2 event reference: `[event_id, {"sha256": reference hash}]`.
    private static func reference(_ event: PDU) throws(RoomError) -> JSONValue {
        do {
            let hash = try EventHashes.referenceHash(of: event.json, version: event.version)
            return [.string(event.eventID.rawValue), ["sha256": .string(UnpaddedBase64.encode(hash))]]
        } catch {
            throw .invalidEvent("\(error)")
        }
    }
}

/// A new event ID of rooms v1–v2 (`$random:server`), which the sending server picks.
public func newLegacyEventID(on server: ServerName) -> String {
    "$\(randomLocalpart()):\(server.rawValue)"
}

/// 18 random letters, for room IDs and v1/v2 event IDs.
func randomLocalpart() -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    var generator = SystemRandomNumberGenerator()
    return String((0..<18).map { _ in letters.randomElement(using: &generator)! })
}
