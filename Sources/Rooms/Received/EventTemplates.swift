import MatrixCrypto
public import MatrixTypes
public import RoomStore
import Storage

/// A room's next event as an unsigned template, for a user of another server to sign (`make_join`, `make_leave`,
/// `make_knock`): prev and auth events and depth from the room's current state, refused when the current state would
/// not allow it.
public struct EventTemplates: Sendable {
    let store: RoomStore
    let serverName: ServerName
    let clock: @Sendable () -> Int64

    public init(store: RoomStore, serverName: ServerName, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.store = store
        self.serverName = serverName
        self.clock = clock
    }

    /// A template, with what an invitee is shown of the room.
    public struct Template: Sendable {
        public var event: JSONValue
        public var version: RoomVersion
        /// The room's stripped state (`StrippedState`) and the sender's own membership.
        public var strippedState: [JSONValue]
    }

    /// The template for `intent` in `roomID`. `roomNotFound` when this server holds no current state for the room
    /// or none of its users is joined (it cannot vouch for the room then).
    public func template(_ intent: EventIntent, in roomID: RoomID) async throws(RoomError) -> Template {
        guard try await RoomError.catching({ try await store.hasJoinedMember(of: serverName, in: roomID) }) else { throw .roomNotFound }
        let snapshot = try await RoomSnapshotLoader(store: store).load(roomID)
        let (json, auth) = try EventBuilder.template(
            intent, in: snapshot, version: snapshot.version, roomID: roomID, timestamp: clock(), origin: serverName
        )
        let candidate: PDU
        do {
            // Not yet hashed and signed, it has no ID; the auth rules never read one, so any well-formed ID stands in
            // (in rooms v1–v2 one naming a server, carried in the event as those versions require).
            var hashed = json
            hashed["hashes"] = ["sha256": .string(UnpaddedBase64.encode(try EventHashes.contentHash(of: .object(json))))]
            let standIn = try EventID(
                snapshot.version.eventFormat == .v1 ? "$template:\(serverName.rawValue)" : "$" + String(repeating: "A", count: 43)
            )
            if snapshot.version.eventFormat == .v1 { hashed["event_id"] = .string(standIn.rawValue) }
            candidate = try PDU(json: .object(hashed), eventID: standIn, version: snapshot.version)
        } catch {
            throw .invalidEvent("\(error)")
        }
        try EventBuilder.authorize(candidate, auth: auth, in: snapshot)
        return Template(
            event: .object(json), version: snapshot.version,
            strippedState: StrippedState.entries(of: snapshot.state.values, member: intent.sender)
        )
    }
}
