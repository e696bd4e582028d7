public import Federation
public import Logging
public import MatrixCrypto
public import MatrixTypes
import NIOHTTP1
public import RoomStore
public import Rooms
import Storage

/// Memberships across servers for this server's users. Joining a room held elsewhere: `make_join` on a resident
/// server, the template filled in and signed here, `send_join` (v2), then the state and auth chain it answers with
/// checked (signatures, hashes, each event authorised by its own auth events; failing ones are dropped, as Synapse
/// drops them) and handed to the room's writer with the join. Rejecting an invite to such a room: `make_leave`, sign,
/// `send_leave` (v2), the leave stored apart from any room history. Inviting another server's user: the invite built on
/// the room's current state and signed here, countersigned by the invitee's server (`invite` v2, with the room's
/// stripped state), then added to the room.
public struct FederatedMemberships: RemoteMemberships {
    let client: FederationClient
    let store: RoomStore
    let templates: EventTemplates
    let verifier: ReceivedPDUVerifier
    let writer: any EventWriting
    let serverName: ServerName
    let signingKey: SigningKey
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(
        client: FederationClient, store: RoomStore, verifier: ReceivedPDUVerifier, writer: any EventWriting, serverName: ServerName,
        signingKey: SigningKey, logger: Logger, clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.client = client
        self.store = store
        self.templates = EventTemplates(store: store, serverName: serverName, clock: clock)
        self.verifier = verifier
        self.writer = writer
        self.serverName = serverName
        self.signingKey = signingKey
        self.logger = logger
        self.clock = clock
    }

    public func join(_ roomID: RoomID, user: UserID, content: JSONValue, via servers: [ServerName]) async throws(RoomError) {
        try await throughAny(of: servers, "join", roomID) { server throws(RoomError) in
            let (join, version, answer) = try await handshake(Membership.join, roomID: roomID, user: user, content: content, through: server)
            // For a restricted room the resident server adds its signature; it must be the same event.
            var signedJoin = join
            if let returned = answer["event"], let event = try? await verifier.verify(returned, version: version), event.eventID == join.eventID {
                signedJoin = event
            }
            let joinedState = try await AnsweredState(verifier: verifier, logger: logger).checked(
                state: answer["state"], authChain: answer["auth_chain"], roomID: roomID, version: version
            )
            _ = try await writer.receive(ReceivedEvents(roomID: roomID, events: [signedJoin], kind: .join(joinedState)))
        }
    }

    public func knock(_ roomID: RoomID, user: UserID, content: JSONValue, via servers: [ServerName]) async throws(RoomError) {
        try await throughAny(of: servers, "knock on", roomID) { server throws(RoomError) in
            let (knock, _, answer) = try await handshake(Membership.knock, roomID: roomID, user: user, content: content, through: server)
            // Kept with the knock, as an invite keeps what the inviting server sent, for the knocker's sync.
            var stored = knock.json
            let stripped = (answer["knock_room_state"]?.arrayValue ?? []).prefix(FederationInvites.strippedStateLimit)
            stored["unsigned"] = ["knock_room_state": .array(Array(stripped))]
            let withState: PDU
            do {
                withState = try PDU(json: stored, eventID: knock.eventID, version: knock.version)
            } catch {
                throw .invalidEvent("the knock does not decode: \(error)")
            }
            _ = try await writer.receive(ReceivedEvents(roomID: roomID, events: [withState], kind: .outOfRoom))
        }
    }

    public func leave(_ roomID: RoomID, user: UserID, via servers: [ServerName]) async throws(RoomError) {
        do {
            try await throughAny(of: servers, "leave", roomID) { server throws(RoomError) in
                let (leave, _, _) = try await handshake(
                    Membership.leave, roomID: roomID, user: user, content: ["membership": .string(Membership.leave)], through: server
                )
                _ = try await writer.receive(ReceivedEvents(roomID: roomID, events: [leave], kind: .outOfRoom))
            }
        } catch .remoteUnavailable(let reason) {
            // As Synapse does when no server of the room answers: the invite is declined here alone, so an invite
            // from a server that is gone can still be dismissed.
            logger.info("declining an invite without the inviting server", metadata: ["room": "\(roomID)", "reason": "\(reason)"])
            try await declineHere(roomID, user: user, reason: reason)
        }
    }

    /// A leave built and signed here on top of `user`'s invite, stored apart from any room history.
    private func declineHere(_ roomID: RoomID, user: UserID, reason: String) async throws(RoomError) {
        guard let record = try await RoomError.catching({ try await store.membershipRecord(of: user, in: roomID) }),
            record.membership.hasSameBytes(as: Membership.invite),
            let invite = try await RoomError.catching({ try await store.event(record.eventID) }),
            let json = try? JSONValue.parse(invite.json),
            let depth = json["depth"]?.integerValue,
            // The invite's own room version travels in the stripped create event the inviting server sent.
            let identifier = json["unsigned"]?["invite_room_state"]?.arrayValue?
                .first(where: { $0["type"]?.stringValue?.hasSameBytes(as: EventType.create) == true })?["content"]?["room_version"]?.stringValue,
            let version = RoomVersion(identifier: identifier), version.eventFormat != .v1
        else { throw .remoteUnavailable(reason) }
        let leave: JSONValue = [
            "type": .string(EventType.member), "state_key": .string(user.rawValue), "sender": .string(user.rawValue),
            "room_id": .string(roomID.rawValue), "content": ["membership": .string(Membership.leave)],
            "origin_server_ts": .integer(clock()), "depth": .integer(depth + 1),
            "prev_events": [.string(invite.eventID.rawValue)], "auth_events": [.string(invite.eventID.rawValue)],
            "hashes": [:], "signatures": [:],
        ]
        let event: PDU
        do {
            event = try PDU(json: try signingKey.hashAndSign(event: leave, as: serverName.rawValue, version: version), version: version)
        } catch {
            throw .invalidEvent("the leave cannot be signed: \(error)")
        }
        _ = try await writer.receive(ReceivedEvents(roomID: roomID, events: [event], kind: .outOfRoom))
    }

    /// Runs `attempt` with each of `servers` until one succeeds; a refusal ends the tries (another server would refuse
    /// the same event).
    private func throughAny(
        of servers: [ServerName], _ action: String, _ roomID: RoomID, _ attempt: (ServerName) async throws(RoomError) -> Void
    ) async throws(RoomError) {
        var failures: [String] = []
        for server in servers {
            do {
                try await attempt(server)
                return
            } catch .forbidden(let reason) {
                throw .forbidden(reason)
            } catch {
                logger.info("a membership through a server failed", metadata: ["action": "\(action)", "room": "\(roomID)", "server": "\(server)", "error": "\(error)"])
                failures.append("\(server): \(error)")
            }
        }
        throw .remoteUnavailable("Failed to \(action) the room through any server (\(failures.joined(separator: "; ")))")
    }

    /// `make_<membership>` on `server`, the template signed here, `send_<membership>` (v2; `send_knock` has only v1):
    /// the signed event, the room's version and the answer.
    private func handshake(
        _ membership: String, roomID: RoomID, user: UserID, content: JSONValue, through server: ServerName
    ) async throws(RoomError) -> (event: PDU, version: RoomVersion, answer: JSONValue) {
        let room = FederationTarget.encoded(roomID.rawValue)
        let template: JSONValue
        do {
            template = try await client.get(
                FederationTarget.make(
                    "/_matrix/federation/v1/make_\(membership)/\(room)/\(FederationTarget.encoded(user.rawValue))",
                    query: membership == Membership.leave ? [] : RoomVersion.all.map { ("ver", $0.identifier) }
                ),
                from: server
            )
        } catch {
            if case .refused(403, _, let message) = error { throw .forbidden(message ?? "The room's server refused the \(membership)") }
            throw .remoteUnavailable("make_\(membership): \(error)")
        }
        guard let identifier = template["room_version"]?.stringValue, let version = RoomVersion(identifier: identifier) else {
            throw .remoteUnavailable("make_\(membership) answered an unknown room version")
        }
        let event = try sign(template["event"], membership: membership, content: content, roomID: roomID, user: user, version: version)
        do {
            let answer = try await client.send(
                .PUT,
                "/_matrix/federation/\(membership == Membership.knock ? "v1" : "v2")/send_\(membership)/\(room)/\(FederationTarget.encoded(event.eventID.rawValue))",
                to: server,
                content: event.json
            )
            return (event, version, answer)
        } catch {
            if case .refused(403, _, let message) = error { throw .forbidden(message ?? "The room's server refused the \(membership)") }
            throw .remoteUnavailable("send_\(membership): \(error)")
        }
    }

    public func invite(_ target: UserID, to roomID: RoomID, by sender: UserID, content: JSONValue) async throws(RoomError) {
        let template = try await templates.template(
            EventIntent(sender: sender, type: EventType.member, stateKey: target.rawValue, content: content), in: roomID
        )
        let version = template.version
        var event = template.event
        if version.eventFormat == .v1 { event["event_id"] = .string(newLegacyEventID(on: serverName)) }
        let invite: PDU
        do {
            invite = try PDU(json: try signingKey.hashAndSign(event: event, as: serverName.rawValue, version: version), version: version)
        } catch {
            throw .invalidEvent("the invite cannot be signed: \(error)")
        }
        let answer: JSONValue
        do {
            answer = try await client.send(
                .PUT,
                "/_matrix/federation/v2/invite/\(FederationTarget.encoded(roomID.rawValue))/\(FederationTarget.encoded(invite.eventID.rawValue))",
                to: target.serverName,
                content: ["event": invite.json, "room_version": .string(version.identifier), "invite_room_state": .array(template.strippedState)]
            )
        } catch {
            if case .refused(403, _, let message) = error { throw .forbidden(message ?? "The invitee's server refused the invite") }
            throw .remoteUnavailable("invite: \(error)")
        }
        // The invitee's server must have signed the same event.
        guard let returned = answer["event"],
            let countersigned = try? await verifier.verify(returned, version: version, alsoSignedBy: [target.serverName]),
            countersigned.eventID == invite.eventID
        else { throw .remoteUnavailable("the invitee's server did not answer with the countersigned invite") }
        for outcome in try await writer.receive(ReceivedEvents(roomID: roomID, events: [countersigned])) {
            switch outcome.status {
            case .accepted: break
            case .softFailed: throw .forbidden("The invite is not allowed by the room's current state")
            case .rejected(let reason): throw .forbidden(reason)
            }
        }
    }

    /// The template with this user's content and time, hashed and signed here.
    private func sign(
        _ template: JSONValue?, membership: String, content: JSONValue, roomID: RoomID, user: UserID, version: RoomVersion
    ) throws(RoomError) -> PDU {
        guard var event = template?.objectValue, event["type"]?.stringValue?.hasSameBytes(as: EventType.member) == true,
            event["room_id"]?.stringValue?.hasSameBytes(as: roomID.rawValue) == true,
            event["sender"]?.stringValue?.hasSameBytes(as: user.rawValue) == true,
            event["state_key"]?.stringValue?.hasSameBytes(as: user.rawValue) == true,
            event["content"]?["membership"]?.stringValue?.hasSameBytes(as: membership) == true
        else { throw .remoteUnavailable("make_\(membership) answered a template that is not this user's \(membership)") }
        var filled = content
        // A restricted room's server names the user that authorises the join.
        if let authoriser = event["content"]?["join_authorised_via_users_server"] { filled["join_authorised_via_users_server"] = authoriser }
        event["content"] = filled
        event["origin_server_ts"] = .integer(clock())
        event["hashes"] = [:]
        event["signatures"] = [:]
        event["unsigned"] = nil
        if version.eventFormat == .v1 { event["event_id"] = .string(newLegacyEventID(on: serverName)) }
        do {
            let signed = try signingKey.hashAndSign(event: .object(event), as: serverName.rawValue, version: version)
            return try PDU(json: signed, version: version)
        } catch {
            throw .invalidEvent("the join cannot be signed: \(error)")
        }
    }
}
