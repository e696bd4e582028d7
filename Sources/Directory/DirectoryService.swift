public import MatrixTypes
import RoomStore
public import Rooms
import Storage
import Synchronization

/// Aliases and the public room list, with the room state that decides who may change them.
public final class DirectoryService: Sendable {
    private let aliases: AliasService
    private let reader: RoomReader
    private let writer: any EventWriting
    private let serverName: ServerName
    private let publication: PublicationPolicy
    /// Other servers' directories; without it their aliases are unknown and their lists unavailable.
    private let remote: (any RemoteDirectories)?
    private let countCache = Mutex<(count: Int64, at: ContinuousClock.Instant)?>(nil)

    public init(
        database: any Database, reader: RoomReader, writer: any EventWriting, serverName: ServerName, publication: PublicationPolicy,
        remote: (any RemoteDirectories)? = nil
    ) {
        self.aliases = AliasService(database: database)
        self.reader = reader
        self.writer = writer
        self.serverName = serverName
        self.publication = publication
        self.remote = remote
    }

    /// The room an alias names: a local alias from the table, another server's asked of that server.
    public func resolve(_ alias: RoomAlias) async throws(DirectoryError) -> ResolvedAlias {
        guard isLocal(alias.serverName) else {
            guard let remote else { throw .aliasNotFound }
            return try await remote.resolve(alias)
        }
        guard let roomID = try await aliases.roomID(for: alias) else { throw .aliasNotFound }
        return ResolvedAlias(roomID: roomID, servers: [serverName.rawValue])
    }

    /// A local alias's room (`aliasNotFound` for another server's alias), as other servers ask for it.
    public func resolveLocal(_ alias: RoomAlias) async throws(DirectoryError) -> ResolvedAlias {
        guard isLocal(alias.serverName) else { throw .notLocalAlias }
        return try await resolve(alias)
    }

    private func isLocal(_ server: ServerName) -> Bool {
        server.rawValue.hasSameBytes(as: serverName.rawValue)
    }

    /// A page of the public room list of `server` (this server's when `nil` or this one).
    public func publicRooms(on server: ServerName?, limit: Int?, since: String?, searchTerm: String?) async throws(DirectoryError) -> JSONValue {
        if let server, !isLocal(server) {
            guard let remote else { throw .remoteUnavailable("federation is not available here") }
            return try await remote.publicRooms(on: server, limit: limit, since: since, searchTerm: searchTerm)
        }
        return try await publicRooms(limit: limit, since: since, searchTerm: searchTerm)
    }

    /// Adds a local alias for a room the requester is joined to.
    public func createAlias(_ alias: RoomAlias, roomID: RoomID, requester: UserID) async throws(DirectoryError) {
        guard alias.serverName == serverName else { throw .notLocalAlias }
        guard try await isJoined(roomID, requester) else {
            throw .forbidden("You must be in the room to give it an alias")
        }
        try await aliases.create(alias, roomID: roomID, creator: requester)
    }

    /// Deletes an alias for its creator, and, as Synapse allows, for server admins and members with the power to
    /// change the room's canonical alias. The room's `m.room.canonical_alias` then stops naming it, when the
    /// requester may change that event (as in Synapse, the deletion stands either way).
    public func deleteAlias(_ alias: RoomAlias, requester: UserID) async throws(DirectoryError) {
        guard let entry = try await aliases.entry(alias) else { throw .aliasNotFound }
        if !entry.creator.hasSameBytes(as: requester.rawValue) {
            guard let roomID = entry.roomID, try await mayManageAliases(of: roomID, requester: requester) else {
                throw .forbidden("You don't have permission to delete the alias.")
            }
        }
        try await aliases.remove(alias)
        guard let roomID = entry.roomID else { return }
        try await DirectoryError.catching { try await writer.dropDeletedAlias(alias, in: roomID, requester: requester, reader: reader) }
    }

    /// Server admins, and members who may send `m.room.canonical_alias` (Synapse's `check_can_change_room_list`).
    private func mayManageAliases(of roomID: RoomID, requester: UserID) async throws(DirectoryError) -> Bool {
        if try await publication.isAdmin(requester) { return true }
        guard try await isJoined(roomID, requester) else { return false }
        return try await DirectoryError.catching { try await reader.maySendState(Self.canonicalAlias, user: requester, in: roomID) }
    }

    private static let canonicalAlias = "m.room.canonical_alias"

    private func isJoined(_ roomID: RoomID, _ user: UserID) async throws(DirectoryError) -> Bool {
        try await DirectoryError.catching { try await reader.isJoined(roomID, user: user) }
    }

    public func aliases(of roomID: RoomID, viewer: UserID) async throws(DirectoryError) -> [String] {
        _ = try await DirectoryError.catching { try await reader.access(roomID, viewer: viewer) }
        return try await aliases.aliases(of: roomID)
    }

    public func isListed(_ roomID: RoomID) async throws(DirectoryError) -> Bool {
        try await aliases.isListed(roomID)
    }

    /// Lists or unlists a room for a member of it; listing also needs `room_list_publication_rules` to allow
    /// it, for server admins too.
    public func setListed(_ listed: Bool, roomID: RoomID, requester: UserID) async throws(DirectoryError) {
        guard try await isJoined(roomID, requester) else {
            throw .forbidden("You must be in the room to publish it")
        }
        // Synapse lets those who may set the canonical alias change the listing (and server admins).
        var mayList = try await DirectoryError.catching { try await reader.maySendState(Self.canonicalAlias, user: requester, in: roomID) }
        if !mayList { mayList = try await publication.isAdmin(requester) }
        guard mayList else {
            throw .forbidden("You do not have the power level to change the room's directory listing")
        }
        if listed {
            guard publication.allows(requester, roomID: roomID, aliases: try await aliases.aliases(of: roomID)) else {
                throw .forbidden("Not allowed to publish room")
            }
        }
        try await aliases.setListed(listed, roomID: roomID)
        countCache.withLock { $0 = nil }
    }

    /// The most rooms one `/publicRooms` page holds; a larger `limit` is clamped to it.
    static let maxLimit = 100
    /// The most listed rooms a search looks at per call; it then answers with what it found and where it stopped.
    static let searchBudget = 500
    /// How long the listed-room count (`total_room_count_estimate`) is reused before counting again.
    static let countLifetime = Duration.seconds(30)

    /// `{chunk, next_batch?, prev_batch?, total_room_count_estimate}` over listed rooms, most joined members first.
    /// A page reads only its own rooms (a search at most `searchBudget` of them), whatever the directory's size.
    public func publicRooms(limit requested: Int?, since: String?, searchTerm: String?) async throws(DirectoryError) -> JSONValue {
        let limit = min(max(requested ?? Self.maxLimit, 0), Self.maxLimit)
        let position = since.flatMap(DirectoryCursor.parse)
        let backward = position?.backward ?? false
        let term = searchTerm.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        var found: [(cursor: DirectoryCursor, entry: JSONObject)] = []
        var cursor = position?.cursor
        var scanned = 0
        var exhausted = false
        while found.count < limit, !exhausted, scanned < (term == nil ? limit : Self.searchBudget) {
            // One more than needed tells whether a further page exists.
            let wanted = term == nil ? limit - found.count + 1 : min(Self.searchBudget - scanned, Self.maxLimit)
            let batch = try await aliases.listedRooms(after: cursor, backward: backward, limit: wanted)
            exhausted = batch.count < wanted
            let summaries = try await summaries(of: batch)
            for (candidate, summary) in zip(batch, summaries) {
                guard found.count < limit else {
                    exhausted = false
                    break
                }
                cursor = candidate
                scanned += 1
                guard let entry = summary, Self.matches(entry, term) else { continue }
                found.append((candidate, entry))
            }
        }
        if backward { found.reverse() }
        var body: JSONObject = [
            "chunk": .array(found.map { .object($0.entry) }), "total_room_count_estimate": .integer(try await listedCount()),
        ]
        // Paging on continues from the last room looked at; paging back from the first room returned.
        let more = !exhausted
        let next = backward ? found.last?.cursor : more ? cursor : nil
        let previous = backward ? (more ? cursor : nil) : position == nil ? nil : found.first?.cursor
        if let next { body["next_batch"] = .string(next.token(backward: false)) }
        if let previous { body["prev_batch"] = .string(previous.token(backward: true)) }
        return .object(body)
    }

    private static func matches(_ entry: JSONObject, _ term: String?) -> Bool {
        guard let term else { return true }
        return [entry["name"], entry["topic"], entry["canonical_alias"]].contains { $0?.stringValue?.lowercased().contains(term) == true }
    }

    /// The listed-room count, counted at most once per `countLifetime` (and again after a listing changes here).
    private func listedCount() async throws(DirectoryError) -> Int64 {
        let now = ContinuousClock.now
        if let cached = countCache.withLock({ $0 }), now - cached.at < Self.countLifetime { return cached.count }
        let count = try await aliases.listedCount()
        countCache.withLock { $0 = (count, now) }
        return count
    }

    /// Directory entries for a page of listed rooms (`nil` for a room with no state), from a few state slots of
    /// each read at once.
    private func summaries(of rooms: [DirectoryCursor]) async throws(DirectoryError) -> [JSONObject?] {
        let ids = rooms.compactMap { try? RoomID($0.roomID) }
        let slots = try await DirectoryError.catching { try await reader.currentState(RoomSummary.slots, in: ids) }
        return rooms.map { room -> JSONObject? in
            guard let roomID = try? RoomID(room.roomID), let state = slots[roomID] else { return nil }
            return RoomSummary.entry(roomID: roomID, joinedMembers: room.joinedMembers, state: state)
        }
    }
}
