import AccountData
public import Directory
public import MatrixTypes
import Presence
import Receipts
import Replication
public import Rooms
import RoomStore
import Storage

/// The deprecated `GET /initialSync` and `GET /rooms/{roomId}/initialSync` (Synapse's `InitialSyncHandler`): a
/// snapshot of every room the user is in (or one room, which peekers of a `world_readable` room may read too)
/// with its newest messages, state, presence, receipts and account data, and a token to continue from.
public final class InitialSyncService: Sendable {
    private let sync: SyncService
    private let sources: SyncSources
    private let directory: DirectoryService

    public init(sync: SyncService, sources: SyncSources, directory: DirectoryService) {
        self.sync = sync
        self.sources = sources
        self.directory = directory
    }

    /// `GET /initialSync`: invited and joined rooms (and left ones when `archived`), each with its membership and
    /// directory visibility; joined and left rooms also with messages, state and room account data.
    public func snapshot(of viewer: ClientEventFormat.Viewer, limit: Int, archived: Bool) async throws(RoomError) -> JSONValue {
        let user = viewer.userID
        let current = sync.currentToken()
        let records = try await RoomError.catching { try await sources.memberships.memberships(of: user) }
            .filter { record in
                record.membership == Membership.join || record.membership == Membership.invite
                    || (archived && record.membership == Membership.leave && !record.forgotten)
            }
            .sorted { $0.streamOrdering < $1.streamOrdering }
        let entries = try await RoomError.catching { try await sources.accountData.changes(of: user, after: nil, upTo: current.accountData) }
        var rooms: [JSONValue] = []
        for record in records {
            let listed = try await RoomError.catching { try await directory.isListed(record.roomID) }
            var room: JSONObject = [
                "room_id": .string(record.roomID.rawValue), "membership": .string(record.membership),
                "visibility": listed ? "public" : "private",
            ]
            if record.membership == Membership.invite {
                let invite = try await RoomError.catching { try await sources.timeline.events([record.eventID]) }
                room["inviter"] = invite.first.map { .string($0.sender.rawValue) } ?? .null
                room["invite"] = try await sources.reader.format(invite, in: record.roomID, viewer: viewer).first ?? .null
            } else {
                let joined = record.membership == Membership.join
                let access = RoomReader.Access(
                    upTo: joined ? sync.eventsPosition(in: record.roomID, of: current) : record.streamOrdering,
                    joinedAt: joined ? record.streamOrdering : nil
                )
                let wasJoined = if joined { true } else { try await sources.reader.wasJoined(before: record) }
                let contents = wasJoined
                    ? try await roomContents(record.roomID, viewer: viewer, access: access, limit: limit, current: current)
                    : try await ownMembershipOnly(record, viewer: viewer, current: current)
                room["messages"] = contents["messages"]
                room["state"] = contents["state"]
                room["account_data"] = .array(Self.accountData(entries, in: record.roomID))
            }
            rooms.append(.object(room))
        }
        let joined = Set(records.filter { $0.membership == Membership.join }.map(\.roomID))
        return [
            "rooms": .array(rooms),
            "presence": .array(try await RoomError.catching {
                try await sources.presence.changes(for: user, rooms: joined, after: nil, upTo: current.presence, epoch: nil)
            }),
            "account_data": .array(Self.accountData(entries, in: nil)),
            "receipts": .array(try await receiptEvents(in: joined, viewer: user, upTo: current.receipts)),
            "end": .string(current.description),
        ]
    }

    /// `GET /rooms/{roomId}/initialSync`: the room as the viewer may read it now (as a member, a departed member up
    /// to their leave, or a peeker of a `world_readable` room, who gets no `membership`).
    public func snapshot(of roomID: RoomID, viewer: ClientEventFormat.Viewer, limit: Int) async throws(RoomError) -> JSONValue {
        let current = sync.currentToken()
        var access = try await sources.reader.access(roomID, viewer: viewer.userID)
        access.upTo = min(access.upTo, sync.eventsPosition(in: roomID, of: current))
        let departed = access.joinedAt == nil && !access.peeking
        var room = try await roomContents(roomID, viewer: viewer, access: access, limit: limit, current: current).objectValue ?? [:]
        room["room_id"] = .string(roomID.rawValue)
        if departed {
            let membership = try await sources.reader.membership(of: viewer.userID, in: roomID, atStream: access.upTo)
            room["membership"] = .string(membership?.membership ?? Membership.leave)
            room["presence"] = []
            room["receipts"] = []
        } else {
            if !access.peeking { room["membership"] = .string(Membership.join) }
            let members = try await sources.reader.state(of: roomID, access: access).filter { $0.type == EventType.member }
            room["presence"] = .array(try await RoomError.catching {
                try await sources.presence.changes(for: viewer.userID, rooms: [roomID], after: nil, upTo: current.presence, epoch: nil)
            }.filter { event in members.contains { $0.stateKey == event["sender"]?.stringValue } })
            room["receipts"] = .array(try await receiptEvents(in: [roomID], viewer: viewer.userID, upTo: current.receipts))
        }
        let entries = try await RoomError.catching { try await sources.accountData.changes(of: viewer.userID, after: nil, upTo: current.accountData) }
        room["account_data"] = .array(Self.accountData(entries, in: roomID))
        return .object(room)
    }

    /// `messages` (the newest `limit` events the viewer may read up to `access.upTo`, with a token to page back from
    /// and one to continue the stream from) and `state` as of `access.upTo`.
    private func roomContents(
        _ roomID: RoomID, viewer: ClientEventFormat.Viewer, access: RoomReader.Access, limit: Int, current: SyncToken
    ) async throws(RoomError) -> JSONValue {
        let recent = try await RoomError.catching {
            try await sources.timeline.recentEvents(in: roomID, after: nil, upTo: access.upTo, limit: limit)
        }
        let readable = try await sources.reader.readable(recent.events, viewer: viewer.userID, joinedAt: access.joinedAt, peeking: access.peeking)
        let start: RoomToken = recent.events.first.map { .topological(depth: $0.topologicalOrdering, stream: $0.streamOrdering) }
            ?? .stream(access.upTo)
        var end = current
        end.events = current.events.lowered(to: EventPositions(access.upTo))
        return [
            "messages": [
                "chunk": .array(try await sources.reader.format(readable, in: roomID, viewer: viewer, withPreviousState: true)),
                "start": .string(start.description), "end": .string(end.description),
            ],
            "state": .array(try await sources.reader.format(try await sources.reader.state(of: roomID, access: access), in: roomID, viewer: viewer)),
        ]
    }

    /// A left room the user never joined (a rejected invite): only their own membership event, as `/sync` shows it.
    private func ownMembershipOnly(_ record: MembershipRecord, viewer: ClientEventFormat.Viewer, current: SyncToken) async throws(RoomError)
        -> JSONValue
    {
        let own = try await RoomError.catching { try await sources.timeline.events([record.eventID]) }
        var end = current
        end.events = current.events.lowered(to: EventPositions(record.streamOrdering))
        return [
            "messages": [
                "chunk": .array(try await sources.reader.format(own, in: record.roomID, viewer: viewer)),
                "start": .string(RoomToken.stream(record.streamOrdering - 1).description), "end": .string(end.description),
            ],
            "state": [],
        ]
    }

    /// `m.receipt` events, one per room.
    private func receiptEvents(in rooms: Set<RoomID>, viewer: UserID, upTo: Int64) async throws(RoomError) -> [JSONValue] {
        try await RoomError.catching { try await sources.receipts.receipts(in: rooms, after: nil, upTo: upTo, viewer: viewer) }
            .sorted { $0.key.rawValue.utf8.lexicographicallyPrecedes($1.key.rawValue.utf8) }
            .map { room, content in ["type": "m.receipt", "room_id": .string(room.rawValue), "content": content] }
    }

    /// Account data events of one room (`nil`: global), as `{type, content}`.
    private static func accountData(_ entries: [AccountDataEntry], in roomID: RoomID?) -> [JSONValue] {
        entries.filter { $0.roomID == roomID }.map { ["type": .string($0.type), "content": $0.content] }
    }
}
