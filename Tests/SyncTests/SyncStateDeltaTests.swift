import MatrixTypes
@testable import RoomStore
import Testing

@testable import Sync

/// Synapse's state calculation for `/sync`, on state maps alone.
@Suite struct SyncStateDeltaTests {
    private let room = try! RoomID("!room:example.org")

    private func id(_ name: String) -> EventID { try! EventID("$\(name):example.org") }

    private func event(_ name: String, sender: String, type: String = "m.room.message", stateKey: String? = nil) -> RoomEvent {
        RoomEvent(
            eventID: id(name), roomID: room, type: type, stateKey: stateKey, sender: try! UserID("@\(sender):example.org"),
            streamOrdering: 0, topologicalOrdering: 0, json: Array(#"{"prev_events":["$p:example.org"]}"#.utf8)
        )
    }

    private let topic = StateKey("m.room.topic", "")
    private let name = StateKey("m.room.name", "")

    @Test func stateTheTimelineStartsFromOrEndsWithIsSentUnlessHeldOrInTheTimeline() {
        // The topic changed in a fork the timeline does not show: only the end state has it.
        let state = SyncStateDelta.calculate(
            timeline: [name: id("name2")], start: [topic: id("topic1"), name: id("name1")],
            end: [topic: id("topic2"), name: id("name2")], previous: [topic: id("topic1"), name: id("name0")], lazyLoading: false
        )
        // name1 stood after the timeline's first event and the timeline does not end with it: sent, as Synapse does.
        #expect(state == [topic: id("topic2"), name: id("name1")], "\(state)")
    }

    @Test func aSlotTheStartAndEndDisagreeOnSendsTheEndsEvent() {
        let state = SyncStateDelta.calculate(
            timeline: [:], start: [topic: id("topic1")], end: [topic: id("topic2")], previous: [:], lazyLoading: false
        )
        #expect(state == [topic: id("topic2")])
    }

    @Test func lazyLoadingSendsTheStartsMembersEvenWhenHeldAtSince() {
        let bob = StateKey.member("@bob:example.org")
        let state = SyncStateDelta.calculate(
            timeline: [:], start: [bob: id("bob-join")], end: [bob: id("bob-join")], previous: [bob: id("bob-join")], lazyLoading: true
        )
        #expect(state == [bob: id("bob-join")])
        let without = SyncStateDelta.calculate(
            timeline: [:], start: [bob: id("bob-join")], end: [bob: id("bob-join")], previous: [bob: id("bob-join")], lazyLoading: false
        )
        #expect(without.isEmpty)
    }

    @Test func sendersNeedTheirMembersUnlessTheTimelineSetThemFirst() {
        let timeline = [
            event("bob-join", sender: "bob", type: EventType.member, stateKey: "@bob:example.org"),
            event("bob-says", sender: "bob"),
            event("carol-invites", sender: "carol", type: EventType.member, stateKey: "@dave:example.org"),
            event("dave-says", sender: "dave"),
        ]
        #expect(SyncStateDelta.membersNeeded(by: timeline) == [.member("@bob:example.org"), .member("@carol:example.org")])
        #expect(SyncStateDelta.lastPerSlot(timeline) == [
            .member("@bob:example.org"): id("bob-join"), .member("@dave:example.org"): id("carol-invites"),
        ])
    }

    @Test func prevEventsReadBothEventFormats() {
        var modern = event("m", sender: "bob")
        modern.json = Array(#"{"prev_events":["$a:example.org","$b:example.org"]}"#.utf8)
        #expect(SyncStateDelta.prevEvents(of: modern) == [id("a"), id("b")])
        var legacy = event("l", sender: "bob")
        legacy.json = Array(#"{"prev_events":[["$a:example.org",{"sha256":"x"}]]}"#.utf8)
        #expect(SyncStateDelta.prevEvents(of: legacy) == [id("a")])
    }
}
