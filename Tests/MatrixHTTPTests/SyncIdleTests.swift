import AxonTesting
import HTTPTypes
import HummingbirdTesting
import MatrixTypes
import Testing

/// A long-polling `/sync` with nothing to report waits on the notifier alone: no query, no connection.
@Suite struct SyncIdleTests {
    @Test func anIdleLongPollTouchesNoDatabaseAndAMessageWakesIt() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("idle-alice")
            let bob = try await client.register("idle-bob")
            let created = try await client.call(.post, "/_matrix/client/v3/createRoom", ["preset": "public_chat"], token: alice.token)
            let roomID = try #require(created.json["room_id"]?.stringValue)
            let escaped = AccountClient.queryEncoded(roomID)
            try #require(try await client.call(.post, "/_matrix/client/v3/rooms/\(escaped)/join", [:], token: bob.token).status == 200)
            let initial = try await client.call(.get, "/_matrix/client/v3/sync?timeout=0", token: alice.token)
            let token = try #require(initial.json["next_batch"]?.stringValue)
            let since = AccountClient.queryEncoded(token)
            let quietPath = "/_matrix/client/v3/sync?timeout=1500&since=\(since)"
            let wakePath = "/_matrix/client/v3/sync?timeout=20000&since=\(since)"

            // What resolving an access token costs, measured on a request that does nothing else. Reads are
            // counted: the requests run in the server's tasks, where earlier writes' background work lands too.
            let beforeWhoami = client.database.reads
            _ = try await client.whoami(alice.token)
            let tokenCost = client.database.reads - beforeWhoami
            let before = client.database.reads
            let quiet = try await client.call(.get, quietPath, token: alice.token)
            let spent = client.database.reads - before - tokenCost
            #expect(spent == 0, "the long-poll ran \(spent) database reads besides resolving its token")
            #expect(quiet.status == 200)
            #expect(quiet.json["next_batch"]?.stringValue == token, "nothing happened, so the token stays")
            #expect(quiet.json["rooms"]?["join"] == [:])

            let woken = Task { try await client.call(.get, wakePath, token: alice.token) }
            try await Task.sleep(for: .milliseconds(300))
            // The test client has one connection, busy with the long-poll: send over a second one.
            let port = try #require(client.client.port)
            let sent = try await TestHTTP.request(
                "PUT", "http://127.0.0.1:\(port)/_matrix/client/v3/rooms/\(escaped)/send/m.room.message/wake",
                body: #"{"msgtype": "m.text", "body": "wake up"}"#, headers: [("Authorization", "Bearer \(bob.token)")]
            )
            let eventID = try #require(sent.json?["event_id"]?.stringValue)
            let sentAt = ContinuousClock.now
            let delivered = try await woken.value
            #expect(ContinuousClock.now - sentAt < .seconds(10), "the message ends the long-poll early")
            let timeline = delivered.json["rooms"]?["join"]?[roomID]?["timeline"]?["events"]?.arrayValue ?? []
            #expect(timeline.compactMap { $0["event_id"]?.stringValue } == [eventID], "\(delivered.json)")
        }
    }
}
