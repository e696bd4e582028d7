import AxonTesting
import HTTPTypes
import MatrixCrypto
import MatrixTypes
import Storage
import Testing

/// NUL is refused in identifiers and parameters, but event content is the sender's: a NUL in a string or a
/// key is stored, hashed and served byte for byte. Events are stored as canonical JSON, where a NUL is the
/// six-character escape `\u0000`, in a blob column, so PostgreSQL's ban on NUL in text never applies.
@Suite struct EventContentNULTests {
    @Test func contentWithNULRoundTripsUnchanged() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let created = try await client.call(.post, "/_matrix/client/v3/createRoom", ["room_version": "12"], token: alice.token)
            let roomID = try #require(created.json["room_id"]?.stringValue, "\(created)")
            let room = "/_matrix/client/v3/rooms/\(AccountClient.queryEncoded(roomID))"
            let content: JSONValue = ["msgtype": "m.text", "body": "be\u{0}fore\u{0}", "k\u{0}ey": ["\u{0}": "\u{0}\u{0}"]]
            let sent = try await client.call(.put, "\(room)/send/m.room.message/nul1", content, token: alice.token)
            #expect(sent.status == 200, "\(sent)")
            let eventID = try #require(sent.json["event_id"]?.stringValue)

            let event = try await client.call(.get, "\(room)/event/\(AccountClient.queryEncoded(eventID))", token: alice.token)
            #expect(event.status == 200, "\(event)")
            #expect(event.json["content"] == content)
            #expect(event.json["content"]?["body"]?.stringValue.map { Array($0.utf8) } == Array("be\u{0}fore\u{0}".utf8))

            let messages = try await client.call(.get, "\(room)/messages?dir=b&limit=5", token: alice.token)
            let served = messages.json["chunk"]?.arrayValue?.first { $0["event_id"]?.stringValue == eventID }
            #expect(served?["content"] == content, "\(messages)")

            // The stored PDU carries the content unchanged, its content hash verifies, and its reference hash
            // is the event ID the client was given.
            let stored: [[UInt8]] = try await client.database.read { connection in
                try connection.query("SELECT json FROM events").map { try $0.decode("json") }
            }
            let pdu = try #require(try stored.map { try JSONValue.parse($0) }.first { $0["content"] == content })
            #expect(EventHashes.hasValidContentHash(pdu))
            #expect(try EventHashes.eventID(of: pdu, version: .v12).rawValue == eventID)
        }
    }
}
