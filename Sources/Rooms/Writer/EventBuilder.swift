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
        var json: JSONObject = [
            "type": .string(intent.type),
            "sender": .string(intent.sender.rawValue),
            "content": intent.content,
            "origin_server_ts": .integer(timestamp ?? clock()),
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
            json["event_id"] = .string("$\(randomLocalpart()):\(serverName.rawValue)")
            json["origin"] = .string(serverName.rawValue)
            json["prev_events"] = .array(try prev.map(reference))
            json["auth_events"] = .array(try auth.map(reference))
        case .v3:
            json["prev_events"] = .array(prev.map { .string($0.eventID.rawValue) })
            json["auth_events"] = .array(auth.map { .string($0.eventID.rawValue) })
        }
        let event: PDU
        do {
            let signed = try signingKey.hashAndSign(event: .object(json), as: serverName.rawValue, version: version)
            event = try PDU(json: signed, version: version)
        } catch PDUDecodingError.tooLarge {
            throw .eventTooLarge
        } catch {
            throw .invalidEvent("\(error)")
        }
        var authState = Dictionary(uniqueKeysWithValues: auth.compactMap { pdu in pdu.stateMapKey.map { ($0, pdu) } })
        authState[.create] = state[.create]
        do {
            try EventAuthorizer.check(event, against: authState)
        } catch {
            throw .forbidden(error.message)
        }
        return event
    }

    /// A v1/v2 event reference: `[event_id, {"sha256": reference hash}]`.
    private func reference(_ event: PDU) throws(RoomError) -> JSONValue {
        do {
            let hash = try EventHashes.referenceHash(of: event.json, version: event.version)
            return [.string(event.eventID.rawValue), ["sha256": .string(UnpaddedBase64.encode(hash))]]
        } catch {
            throw .invalidEvent("\(error)")
        }
    }
}

/// 18 random letters, for room IDs and v1/v2 event IDs.
func randomLocalpart() -> String {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    var generator = SystemRandomNumberGenerator()
    return String((0..<18).map { _ in letters.randomElement(using: &generator)! })
}
