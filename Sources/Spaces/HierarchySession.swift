import MatrixTypes

/// Where a walk stands between pages: the parameters it began with (a token continues only a walk with the same
/// ones) and its state: the rooms still to visit, the next last, and those visited.
struct HierarchySession: Sendable {
    /// A room waiting to be visited: the servers to ask for it when it is not held here, how far below the root it
    /// is, and its summary when the server answering for its parent sent one.
    struct Entry: Sendable {
        var roomID: RoomID
        var via: [String]
        var depth: Int
        var remoteSummary: JSONObject?
    }

    var roomID: RoomID
    var suggestedOnly: Bool
    /// `max_depth` as requested (`nil` when absent).
    var maxDepth: Int?
    var queue: [Entry]
    var processed: Set<RoomID>

    func sameWalk(as other: HierarchySession) -> Bool {
        roomID == other.roomID && suggestedOnly == other.suggestedOnly && maxDepth == other.maxDepth
    }

    var json: JSONValue {
        let queue: [JSONValue] = queue.map { entry in
            var object: JSONObject = [
                "room_id": .string(entry.roomID.rawValue), "via": .array(entry.via.map { .string($0) }), "depth": .integer(Int64(entry.depth)),
            ]
            if let summary = entry.remoteSummary { object["remote_room"] = .object(summary) }
            return .object(object)
        }
        return [
            "room_id": .string(roomID.rawValue), "suggested_only": .bool(suggestedOnly),
            "max_depth": maxDepth.map { JSONValue.integer(Int64($0)) } ?? JSONValue.null, "queue": .array(queue),
            "processed": .array(processed.map(\.rawValue).sorted { $0.precedesBytewise($1) }.map { JSONValue.string($0) }),
        ]
    }

    /// A session as stored; `nil` when it does not read back (it is then as unknown as an expired one).
    init?(json: JSONValue) {
        guard let room = json["room_id"]?.stringValue.flatMap({ try? RoomID($0) }), let suggested = json["suggested_only"]?.boolValue,
            let queue = json["queue"]?.arrayValue, let processed = json["processed"]?.arrayValue
        else { return nil }
        var entries: [Entry] = []
        for item in queue {
            guard let id = item["room_id"]?.stringValue.flatMap({ try? RoomID($0) }), let depth = item["depth"]?.integerValue else { return nil }
            entries.append(Entry(roomID: id, via: item["via"]?.arrayValue?.compactMap(\.stringValue) ?? [], depth: Int(depth), remoteSummary: item["remote_room"]?.objectValue))
        }
        self.init(
            roomID: room, suggestedOnly: suggested, maxDepth: json["max_depth"]?.integerValue.map { Int($0) }, queue: entries,
            processed: Set(processed.compactMap { $0.stringValue.flatMap { try? RoomID($0) } })
        )
    }

    init(roomID: RoomID, suggestedOnly: Bool, maxDepth: Int?, queue: [Entry], processed: Set<RoomID>) {
        self.roomID = roomID
        self.suggestedOnly = suggestedOnly
        self.maxDepth = maxDepth
        self.queue = queue
        self.processed = processed
    }
}
