public import MatrixTypes
import RoomStore

/// Aliases and the public room list, with the room state that decides who may change them.
public final class DirectoryService: Sendable {
    private let aliases: AliasService
    private let reader: RoomReader
    private let serverName: ServerName
    private let publication: PublicationPolicy

    public init(aliases: AliasService, reader: RoomReader, serverName: ServerName, publication: PublicationPolicy) {
        self.aliases = aliases
        self.reader = reader
        self.serverName = serverName
        self.publication = publication
    }

    public func resolve(_ alias: RoomAlias) async throws(RoomError) -> RoomID {
        guard let roomID = try await aliases.roomID(for: alias) else { throw .aliasNotFound }
        return roomID
    }

    /// Adds a local alias for a room the requester is joined to.
    public func createAlias(_ alias: RoomAlias, roomID: RoomID, requester: UserID) async throws(RoomError) {
        guard alias.serverName == serverName else { throw .badRequest("Room alias must be local") }
        guard try await reader.visibleUpTo(roomID, viewer: requester) == Int64.max else {
            throw .forbidden("You must be in the room to give it an alias")
        }
        try await aliases.create(alias, roomID: roomID, creator: requester)
    }

    public func deleteAlias(_ alias: RoomAlias, requester: UserID) async throws(RoomError) {
        try await aliases.delete(alias, requester: requester)
    }

    public func aliases(of roomID: RoomID, viewer: UserID) async throws(RoomError) -> [String] {
        _ = try await reader.visibleUpTo(roomID, viewer: viewer)
        return try await aliases.aliases(of: roomID)
    }

    public func isListed(_ roomID: RoomID) async throws(RoomError) -> Bool {
        try await aliases.isListed(roomID)
    }

    /// Lists or unlists a room for a member of it; listing also needs `room_list_publication_rules` to allow
    /// it (server admins always may).
    public func setListed(_ listed: Bool, roomID: RoomID, requester: UserID) async throws(RoomError) {
        guard try await reader.visibleUpTo(roomID, viewer: requester) == Int64.max else {
            throw .forbidden("You must be in the room to publish it")
        }
        // Synapse lets those who may set the canonical alias change the listing (and server admins).
        var mayList = try await reader.maySendState("m.room.canonical_alias", user: requester, in: roomID)
        if !mayList { mayList = try await publication.isAdmin(requester) }
        guard mayList else {
            throw .forbidden("You do not have the power level to change the room's directory listing")
        }
        if listed {
            guard try await publication.allows(requester, roomID: roomID, aliases: try await aliases.aliases(of: roomID)) else {
                throw .forbidden("Not allowed to publish room")
            }
        }
        try await aliases.setListed(listed, roomID: roomID)
    }

    /// `{chunk, next_batch?, total_room_count_estimate}` over listed rooms, largest first; `since` is an offset.
    public func publicRooms(limit requested: Int?, since: String?, searchTerm: String?) async throws(RoomError) -> JSONValue {
        let limit = requested.map { min(max($0, 0), 1_000) }
        var entries: [JSONValue] = []
        for roomID in try await aliases.listedRooms() {
            guard let entry = try? await summary(roomID) else { continue }
            if let term = searchTerm?.lowercased(), !term.isEmpty {
                let text = [entry["name"], entry["topic"], entry["canonical_alias"]].compactMap { $0?.stringValue?.lowercased() }
                guard text.contains(where: { $0.contains(term) }) else { continue }
            }
            entries.append(entry)
        }
        entries.sort { ($0["num_joined_members"]?.integerValue ?? 0, $1["room_id"]?.stringValue ?? "") > ($1["num_joined_members"]?.integerValue ?? 0, $0["room_id"]?.stringValue ?? "") }
        let offset = min(since.flatMap { Int($0) }.map { min(max(0, $0), entries.count) } ?? 0, entries.count)
        let end = limit.map { min(entries.count, offset + max(0, $0)) } ?? entries.count
        var body: [String: JSONValue] = [
            "chunk": .array(Array(entries[offset..<end])), "total_room_count_estimate": .integer(Int64(entries.count)),
        ]
        if end < entries.count { body["next_batch"] = .string(String(end)) }
        if offset > 0 { body["prev_batch"] = .string(String(max(0, offset - (limit ?? offset)))) }
        return .object(body)
    }

    private func summary(_ roomID: RoomID) async throws(RoomError) -> JSONValue {
        let state = try await reader.stateEvents(roomID, atStream: Int64.max)
        var entry: [String: JSONValue] = ["room_id": .string(roomID.rawValue)]
        var joined: Int64 = 0
        for event in state {
            guard let content = (try? JSONValue.parse(event.json))?["content"] else { continue }
            switch event.type {
            case "m.room.name": entry["name"] = content["name"]
            case "m.room.topic": entry["topic"] = content["topic"]
            case "m.room.avatar": entry["avatar_url"] = content["url"]
            case "m.room.canonical_alias": entry["canonical_alias"] = content["alias"]
            case "m.room.join_rules": entry["join_rule"] = content["join_rule"]
            case "m.room.history_visibility": entry["world_readable"] = .bool(content["history_visibility"] == "world_readable")
            case "m.room.guest_access": entry["guest_can_join"] = .bool(content["guest_access"] == "can_join")
            case EventType.member where content["membership"] == "join": joined += 1
            default: break
            }
        }
        entry["num_joined_members"] = .integer(joined)
        entry["world_readable"] = entry["world_readable"] ?? false
        entry["guest_can_join"] = entry["guest_can_join"] ?? false
        return .object(entry)
    }
}
