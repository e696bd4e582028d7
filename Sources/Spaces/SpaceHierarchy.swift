public import MatrixTypes
public import RoomStore
import Rooms
public import Storage

/// The room hierarchy of spaces: `/hierarchy` for local users, a depth-first walk down `m.space.child` events in
/// pages, rooms held here read here and others asked of the servers their parent's `via` names; and the one-level
/// answer other servers ask for. Bounded per page and walk: rooms per page and looked at per page, children per room,
/// depth, servers asked per page, rooms waiting and visited per walk, sessions kept.
public final class SpaceHierarchy: Sendable {
    let rooms: LocalSpaceRooms
    let access: HierarchyAccess
    let sessions: HierarchySessions
    let remote: (any RemoteHierarchies)?
    let cache = RemoteHierarchyCache()
    let serverName: ServerName

    /// Synapse's `MAX_ROOMS`: the default page and the largest.
    static let maxLimit = 50
    /// The deepest a walk goes below its root (the default, and the most a request may ask).
    static let maxDepth = 50
    /// Rooms looked at per page, shown or not; a page that reaches it ends with `next_batch`.
    static let visitsPerPage = 200
    /// Servers asked per page (answers kept in the cache cost nothing); a page that runs out ends with `next_batch`.
    static let remoteCallsPerPage = 10
    /// Synapse's `MAX_SERVERS_PER_SPACE`: of a child's `via`, the servers asked.
    static let serversPerRoom = 3
    /// Rooms waiting in one walk; children beyond it are listed in their parent's `children_state` but not visited.
    static let maxQueue = 2_000
    /// Rooms visited in one walk; past it the walk ends.
    static let maxProcessed = 2_000
    /// Synapse's `MAX_ROOMS_PER_SPACE`: children summarised per federation answer.
    static let federationChildren = 50

    public init(
        database: any Database, store: RoomStore, serverName: ServerName, remote: (any RemoteHierarchies)? = nil,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        let versions = RoomVersions(store: store)
        rooms = LocalSpaceRooms(store: store, versions: versions, serverName: serverName)
        access = HierarchyAccess(store: store, versions: versions)
        sessions = HierarchySessions(database: database, clock: clock)
        self.remote = remote
        self.serverName = serverName
    }

    /// What a visit to one room found.
    private enum Visit {
        /// The room as shown, its children in order, the summaries its server sent of them, and those it said are
        /// not visible to this server.
        case shown(JSONObject, [SpaceChild], [RoomID: JSONObject], Set<RoomID>)
        /// Unknown, unreachable or not visible to the requester.
        case hidden
        /// It needs another server and the page has asked as many as it may.
        case outOfCalls
    }

    /// `GET /_matrix/client/v1/rooms/{roomId}/hierarchy`: `{rooms, next_batch?}`.
    public func hierarchy(of root: RoomID, requester: UserID, query: HierarchyQuery) async throws(SpacesError) -> JSONValue {
        let limit = min(max(query.limit ?? Self.maxLimit, 1), Self.maxLimit)
        let depthLimit = min(max(query.maxDepth ?? Self.maxDepth, 0), Self.maxDepth)
        var calls = Self.remoteCallsPerPage
        // Without a `via` for the root, the server its ID names (rooms before v12) is asked.
        let rootVia = root.serverName.map { [$0.rawValue] } ?? []
        let refusal = SpacesError.forbidden("User \(requester.rawValue) not in room \(root.rawValue), and room previews are disabled")
        if try await rooms.isHeld(root) {
            guard try await access.mayView(root, .user(requester)) else { throw refusal }
        } else {
            guard let answer = await fetch(root, via: rootVia, suggestedOnly: query.suggestedOnly, calls: &calls),
                try await access.mayView(remote: answer.room, roomID: root, user: requester)
            else { throw refusal }
        }
        let fresh = HierarchySession(
            roomID: root, suggestedOnly: query.suggestedOnly, maxDepth: query.maxDepth,
            queue: [.init(roomID: root, via: rootVia, depth: 0, remoteSummary: nil)], processed: []
        )
        var walk = fresh
        if let token = query.from {
            guard let stored = try await sessions.session(token, for: requester), stored.sameWalk(as: fresh) else {
                throw .invalidParameter("Unknown pagination token")
            }
            walk = stored
        }
        var found: [JSONValue] = []
        var visits = 0
        while let entry = walk.queue.last, found.count < limit, visits < Self.visitsPerPage, walk.processed.count < Self.maxProcessed {
            if walk.processed.contains(entry.roomID) {
                walk.queue.removeLast()
                continue
            }
            let visit = try await visit(entry, suggestedOnly: query.suggestedOnly, depthLimit: depthLimit, requester: requester, calls: &calls)
            if case .outOfCalls = visit { break }
            walk.queue.removeLast()
            visits += 1
            walk.processed.insert(entry.roomID)
            guard case .shown(var room, let children, let summaries, let inaccessible) = visit else { continue }
            room["children_state"] = .array(children.map(\.stripped))
            found.append(.object(room))
            guard entry.depth < depthLimit else { continue }
            // The first child is visited next, so it goes last; children past the walk's room are not queued.
            let waiting = children.filter { !inaccessible.contains($0.roomID) }.prefix(max(0, Self.maxQueue - walk.queue.count))
            walk.queue += waiting.reversed().map {
                HierarchySession.Entry(roomID: $0.roomID, via: Array($0.via.prefix(Self.serversPerRoom)), depth: entry.depth + 1, remoteSummary: summaries[$0.roomID])
            }
        }
        var body: JSONObject = ["rooms": .array(found)]
        if walk.processed.count >= Self.maxProcessed { walk.queue.removeAll() }
        if !walk.queue.isEmpty { body["next_batch"] = .string(try await sessions.create(walk, for: requester)) }
        return .object(body)
    }

    private func visit(
        _ entry: HierarchySession.Entry, suggestedOnly: Bool, depthLimit: Int, requester: UserID, calls: inout Int
    ) async throws(SpacesError) -> Visit {
        if try await rooms.isHeld(entry.roomID) {
            guard try await access.mayView(entry.roomID, .user(requester)), let summary = try await rooms.summary(of: entry.roomID) else {
                return .hidden
            }
            return .shown(summary, try await rooms.children(of: entry.roomID, summary: summary, suggestedOnly: suggestedOnly), [:], [])
        }
        let shown: (room: JSONObject, children: [SpaceChild], summaries: [RoomID: JSONObject], inaccessible: Set<RoomID>)
        // What the parent's server said of a room is enough unless its children are wanted.
        if let known = entry.remoteSummary, !LocalSpaceRooms.isSpace(known) || entry.depth >= depthLimit {
            shown = (known, [], [:], [])
        } else {
            let key = RemoteHierarchyCache.Key(roomID: entry.roomID, suggestedOnly: suggestedOnly)
            if cache.answer(for: key) == nil, calls <= 0 { return .outOfCalls }
            guard let answer = await fetch(entry.roomID, via: entry.via, suggestedOnly: suggestedOnly, calls: &calls) else {
                // Servers left unasked for want of calls: the room waits for the next page.
                return calls <= 0 && Self.askable(entry.via, excluding: serverName).count > 0 ? .outOfCalls : .hidden
            }
            shown = (answer.room, answer.children, answer.childSummaries, answer.inaccessible)
        }
        guard try await access.mayView(remote: shown.room, roomID: entry.roomID, user: requester) else { return .hidden }
        return .shown(shown.room, shown.children, shown.summaries, shown.inaccessible)
    }

    /// Another server's answer for a room not held here: from the cache, else from the first of `via` (at most
    /// `serversPerRoom`, while `calls` lasts) whose answer matches the spec's shape.
    private func fetch(_ roomID: RoomID, via: [String], suggestedOnly: Bool, calls: inout Int) async -> RemoteHierarchy? {
        let key = RemoteHierarchyCache.Key(roomID: roomID, suggestedOnly: suggestedOnly)
        if let known = cache.answer(for: key) { return known }
        guard let remote else { return nil }
        var askable = Self.askable(via, excluding: serverName)
        while let server = askable.first, calls > 0 {
            askable.removeFirst()
            calls -= 1
            guard let json = try? await remote.hierarchy(of: roomID, suggestedOnly: suggestedOnly, from: server),
                let answer = RemoteHierarchy(answer: json, roomID: roomID)
            else { continue }
            cache.store(answer, for: key)
            return answer
        }
        return nil
    }

    /// The servers of `via` that may be asked (at most `serversPerRoom`), this one left out.
    private static func askable(_ via: [String], excluding own: ServerName) -> [ServerName] {
        via.prefix(serversPerRoom).compactMap { try? ServerName($0) }.filter { !$0.rawValue.hasSameBytes(as: own.rawValue) }
    }

    /// `GET /_matrix/federation/v1/hierarchy/{roomId}`: the room with its children's events, the summaries of the
    /// children held here that `origin` may see (at most `federationChildren`), and those it may not. `admits` is
    /// the rooms' server ACL: a child whose ACL denies `origin` counts as inaccessible.
    public func federationHierarchy(
        of roomID: RoomID, origin: ServerName, suggestedOnly: Bool, admits: @Sendable (RoomID) async -> Bool = { _ in true }
    ) async throws(SpacesError) -> JSONValue {
        guard try await rooms.isHeld(roomID), try await access.mayView(roomID, .server(origin)), let summary = try await rooms.summary(of: roomID)
        else { throw .notFound("Unknown room: \(roomID.rawValue)") }
        let children = try await rooms.children(of: roomID, summary: summary, suggestedOnly: suggestedOnly)
        var room = summary
        room["children_state"] = .array(children.map(\.stripped))
        var summaries: [JSONValue] = []
        var inaccessible: [JSONValue] = []
        for child in children.prefix(Self.federationChildren) {
            guard try await rooms.isHeld(child.roomID) else { continue }
            if await admits(child.roomID), try await access.mayView(child.roomID, .server(origin)), let found = try await rooms.summary(of: child.roomID) {
                summaries.append(.object(found))
            } else {
                inaccessible.append(.string(child.roomID.rawValue))
            }
        }
        return ["room": .object(room), "children": .array(summaries), "inaccessible_children": .array(inaccessible)]
    }
}
