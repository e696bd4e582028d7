import MatrixTypes
import Replication
import Testing

struct ReplicationMessageTests {
    let alice = try! UserID("@alice:example.org")
    let room = try! RoomID("!room:example.org")

    @Test(arguments: [
        ReplicationCommand.ping,
        .position(.events, 42),
        .remoteServerUp(try! ServerName("matrix.example.org:8448")),
        .data(StreamNotice(stream: .events, position: 7, roomID: try! RoomID("!r:x"), users: [try! UserID("@bob:x")])),
        .data(StreamNotice(stream: .accountData, position: 3, users: [try! UserID("@bob:x")])),
        .data(StreamNotice(stream: .typing, position: 2, roomID: try! RoomID("!r:x"), row: .typing(epoch: 99, users: [try! UserID("@a:x")]))),
        .data(
            StreamNotice(
                stream: .presence, position: 5, users: [try! UserID("@a:x")],
                row: .presence(epoch: 99, state: PresenceRow(presence: "online", statusMessage: "in  a meeting ☕", lastActive: 12))
            )
        ),
    ])
    func commandsSurviveTheChannel(_ command: ReplicationCommand) {
        let message = ReplicationMessage(sender: "reader-1", run: 1_700_000_000_000, sequence: 12, command: command)
        #expect(ReplicationMessage(message.encoded) == message)
    }

    @Test func theLineNamesTheCommandAsSynapseDoes() {
        let line = ReplicationMessage(sender: "main", run: 5, sequence: 1, command: .position(.accountData, 9)).encoded
        #expect(line == "main 5 1 POSITION account_data 9")
        let data = ReplicationMessage(
            sender: "main", run: 5, sequence: 2, command: .data(StreamNotice(stream: .receipts, position: 4, roomID: room, users: [alice]))
        ).encoded
        #expect(data.hasPrefix("main 5 2 RDATA receipts 4 {"))
        let up = ReplicationMessage(sender: "receiver", run: 5, sequence: 3, command: .remoteServerUp(try! ServerName("other.example"))).encoded
        #expect(up == "receiver 5 3 REMOTE_SERVER_UP other.example")
    }

    @Test(arguments: [
        "", "main", "main 1 2", "main x 2 PING", "main 1 -2 PING", "main 1 2 PING extra", "main 1 2 NOPE",
        "main 1 2 REMOTE_SERVER_UP", "main 1 2 REMOTE_SERVER_UP not:a:name", "main 1 2 REMOTE_SERVER_UP a.example b.example",
        "main 1 2 POSITION events", "main 1 2 POSITION nostream 3", "main 1 2 POSITION events x",
        "main 1 2 RDATA events 3", "main 1 2 RDATA events 3 {", "main 1 2 RDATA events 3 {\"users\": 5}",
        "main 1 2 RDATA events 3 {\"users\": [\"not-a-user\"]}", "main 1 2 RDATA events 3 {\"users\": [], \"room_id\": 4}",
        "main 1 2 RDATA typing 3 {\"users\": [], \"typing\": {\"users\": []}}",
        "main 1 2 RDATA presence 3 {\"users\": [], \"presence\": {\"epoch\": 1, \"presence\": \"online\", \"last_active\": 1, \"status_msg\": 3}}",
    ])
    func malformedLinesAreIgnored(_ line: String) {
        #expect(ReplicationMessage(line) == nil)
    }
}
