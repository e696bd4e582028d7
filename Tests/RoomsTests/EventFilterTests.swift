import MatrixTypes
import Rooms
import Testing

/// Filters match event types and senders byte for byte, as Matrix compares them.
@Suite struct EventFilterTests {
    @Test func sendersMatchByBytes() {
        let excluding = EventFilter(json: ["not_senders": ["@\u{E9}:example.org"]])
        #expect(!excluding.matches(type: "m.room.message", sender: "@\u{E9}:example.org"))
        #expect(excluding.matches(type: "m.room.message", sender: "@e\u{301}:example.org"), "another user, spelled alike")
        let only = EventFilter(json: ["senders": ["@\u{E9}:example.org"]])
        #expect(only.matches(type: "m.room.message", sender: "@\u{E9}:example.org"))
        #expect(!only.matches(type: "m.room.message", sender: "@e\u{301}:example.org"))
    }

    @Test func typesAndWildcardsMatchByBytes() {
        let exact = EventFilter(json: ["types": ["org.example.\u{E9}"]])
        #expect(exact.matches(type: "org.example.\u{E9}", sender: "@a:example.org"))
        #expect(!exact.matches(type: "org.example.e\u{301}", sender: "@a:example.org"))
        let prefix = EventFilter(json: ["not_types": ["org.example.\u{E9}*"]])
        #expect(!prefix.matches(type: "org.example.\u{E9}x", sender: "@a:example.org"))
        #expect(prefix.matches(type: "org.example.e\u{301}x", sender: "@a:example.org"))
        #expect(!EventFilter(json: ["types": ["m.room.*"]]).matches(type: "m.other", sender: "@a:example.org"))
        #expect(EventFilter(json: ["types": ["*"]]).matches(type: "anything", sender: "@a:example.org"))
    }
}
