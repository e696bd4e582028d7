import MatrixTypes

/// Shorthands for the events most tests need.
extension EventDAG {
    @discardableResult
    public mutating func member(
        _ target: UserID,
        _ membership: String,
        by sender: UserID? = nil,
        extraContent: JSONObject = [:],
        on branch: String = mainBranch
    ) throws -> PDU {
        var content = extraContent
        content["membership"] = .string(membership)
        return try send(EventType.member, stateKey: target.rawValue, from: sender ?? target, content: .object(content), on: branch)
    }

    @discardableResult
    public mutating func powerLevels(
        _ users: [UserID: Int64],
        by sender: UserID,
        extraContent: JSONObject = [:],
        on branch: String = mainBranch
    ) throws -> PDU {
        var content = extraContent
        content["users"] = .object(JSONObject(uniqueKeysWithValues: users.map { ($0.key.rawValue, JSONValue.integer($0.value)) }))
        return try send(EventType.powerLevels, stateKey: "", from: sender, content: .object(content), on: branch)
    }

    @discardableResult
    public mutating func joinRule(_ rule: String, by sender: UserID, on branch: String = mainBranch) throws -> PDU {
        try send(EventType.joinRules, stateKey: "", from: sender, content: ["join_rule": .string(rule)], on: branch)
    }

    @discardableResult
    public mutating func redact(_ target: EventID, by sender: UserID, on branch: String = mainBranch) throws -> PDU {
        try send(EventType.redaction, from: sender, content: ["reason": "test"], redacts: target, on: branch)
    }

    @discardableResult
    public mutating func message(_ body: String, from sender: UserID, on branch: String = mainBranch) throws -> PDU {
        try send("m.room.message", from: sender, content: ["msgtype": "m.text", "body": .string(body)], on: branch)
    }

    /// A room as most tests start it: created by `creator`, who joins, sets `users` as power levels and makes the
    /// room public; then every user in `members` joins.
    public static func room(
        version: RoomVersion,
        creator: UserID = EventDAGUsers.alice,
        powerLevels users: [UserID: Int64] = [:],
        members: [UserID] = [],
        authorizer: Authorizer? = nil
    ) throws -> EventDAG {
        var dag = EventDAG(version: version, authorizer: authorizer)
        try dag.create(by: creator)
        try dag.member(creator, Membership.join)
        var levels = users
        if !version.authRules.givesCreatorsInfinitePower, levels[creator] == nil { levels[creator] = 100 }
        try dag.powerLevels(levels, by: creator)
        try dag.joinRule(JoinRule.public, by: creator)
        for member in members { try dag.member(member, Membership.join) }
        return dag
    }
}
