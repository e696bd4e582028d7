public import MatrixTypes

/// One line on the replication channel: `<sender> <run> <sequence> <command>`.
///
/// `run` is the sender's start time and `sequence` counts its messages from 1 within that run, so a follower that
/// sees a number skipped (a message dropped while a connection was down) knows it missed notices and reads the
/// durable streams again from the database. Commands, as Synapse's replication protocol names them:
/// - `RDATA <stream> <position> <row-json>`: a stream notice (`{"room_id", "users", "typing" | "presence"}`);
/// - `POSITION <stream> <position>`: the sender's persisted-up-to position of a stream it writes (sent after each
///   advance and again with every heartbeat);
/// - `PING`: a heartbeat, so silence means a dead connection and a dropped last message is noticed;
/// - `REMOTE_SERVER_UP <server>`: another homeserver was just heard from, so a federation sender backing off from it
///   tries again now.
public struct ReplicationMessage: Sendable, Equatable {
    public var sender: String
    public var run: Int64
    public var sequence: UInt64
    public var command: ReplicationCommand

    public init(sender: String, run: Int64, sequence: UInt64, command: ReplicationCommand) {
        self.sender = sender
        self.run = run
        self.sequence = sequence
        self.command = command
    }

    /// Whether `name` can name a sender: one word, as instance names in `instance_map` are.
    public static func isValidSender(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 200 && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    public var encoded: String {
        precondition(Self.isValidSender(sender), "replication senders are one word: \(sender)")
        let head = "\(sender) \(run) \(sequence) "
        switch command {
        case .data(let notice):
            let row = String(decoding: Self.rowJSON(notice).encoded(), as: UTF8.self)
            return head + "RDATA \(notice.stream.rawValue) \(notice.position) \(row)"
        case .position(let stream, let position):
            return head + "POSITION \(stream.rawValue) \(position)"
        case .ping:
            return head + "PING"
        case .remoteServerUp(let server):
            return head + "REMOTE_SERVER_UP \(server.rawValue)"
        }
    }

    /// Reads a line; `nil` for anything malformed (another program on the channel, a newer command).
    public init?(_ line: some StringProtocol) {
        let parts = line.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count >= 4, Self.isValidSender(String(parts[0])), let run = Int64(parts[1]), let sequence = UInt64(parts[2]) else {
            return nil
        }
        let arguments = Array(parts.dropFirst(4))
        let command: ReplicationCommand
        switch parts[3] {
        case "PING" where arguments.isEmpty:
            command = .ping
        case "REMOTE_SERVER_UP" where arguments.count == 1:
            guard let server = try? ServerName(String(arguments[0])) else { return nil }
            command = .remoteServerUp(server)
        case "POSITION" where arguments.count == 2:
            guard let stream = StreamName(rawValue: String(arguments[0])), let position = Int64(arguments[1]) else { return nil }
            command = .position(stream, position)
        case "RDATA" where arguments.count >= 3:
            let json = arguments.dropFirst(2).joined(separator: " ")
            guard let stream = StreamName(rawValue: String(arguments[0])), let position = Int64(arguments[1]),
                let row = try? JSONValue.parse(json), let notice = Self.notice(stream: stream, position: position, row: row)
            else { return nil }
            command = .data(notice)
        default:
            return nil
        }
        self.init(sender: String(parts[0]), run: run, sequence: sequence, command: command)
    }

    private static func rowJSON(_ notice: StreamNotice) -> JSONValue {
        var object: JSONObject = ["users": .array(notice.users.map { .string($0.rawValue) })]
        if let room = notice.roomID { object["room_id"] = .string(room.rawValue) }
        switch notice.row {
        case .typing(let epoch, let users):
            object["typing"] = ["epoch": .integer(epoch), "users": .array(users.map { .string($0.rawValue) })]
        case .presence(let epoch, let state):
            var presence: JSONObject = [
                "epoch": .integer(epoch), "presence": .string(state.presence), "last_active": .integer(state.lastActive),
            ]
            if let message = state.statusMessage { presence["status_msg"] = .string(message) }
            object["presence"] = .object(presence)
        case nil:
            break
        }
        return .object(object)
    }

    private static func notice(stream: StreamName, position: Int64, row: JSONValue) -> StreamNotice? {
        guard let users = userIDs(row["users"]) else { return nil }
        var roomID: RoomID?
        if let room = row["room_id"] {
            guard let text = room.stringValue, let id = try? RoomID(text) else { return nil }
            roomID = id
        }
        var notice = StreamNotice(stream: stream, position: position, roomID: roomID, users: users)
        if let typing = row["typing"] {
            guard let epoch = typing["epoch"]?.integerValue, let typists = userIDs(typing["users"]) else { return nil }
            notice.row = .typing(epoch: epoch, users: typists)
        } else if let presence = row["presence"] {
            guard let epoch = presence["epoch"]?.integerValue, let state = presence["presence"]?.stringValue,
                let lastActive = presence["last_active"]?.integerValue
            else { return nil }
            let message = presence["status_msg"]
            guard message == nil || message?.stringValue != nil else { return nil }
            notice.row = .presence(epoch: epoch, state: PresenceRow(presence: state, statusMessage: message?.stringValue, lastActive: lastActive))
        }
        return notice
    }

    private static func userIDs(_ value: JSONValue?) -> [UserID]? {
        guard let array = value?.arrayValue else { return nil }
        var users: [UserID] = []
        for element in array {
            guard let text = element.stringValue, let user = try? UserID(text) else { return nil }
            users.append(user)
        }
        return users
    }
}

public enum ReplicationCommand: Sendable, Equatable {
    case data(StreamNotice)
    case position(StreamName, Int64)
    case ping
    case remoteServerUp(ServerName)
}
