import MatrixTypes
import Replication
import Testing

/// The events positions a sync token carries: one per events writer, read per room at the room's owner's.
struct EventPositionsTests {
    let ownership = RoomOwnership(writers: ["persister1", "persister2", "persister3"])

    @Test func positionsRoundTripThroughTheirTextAndEqualPositionsCollapseToOne() throws {
        let vector = EventPositions(writers: [12, 15, 12], tag: ownership.tag)
        #expect(vector.minimum == 12 && vector.writers == [12, 15, 12])
        #expect(vector.description == "12~\(String(ownership.tag, radix: 16))~0.3.0")
        #expect(EventPositions(Substring(vector.description)) == vector)
        let uniform = EventPositions(writers: [7, 7, 7], tag: ownership.tag)
        #expect(uniform == EventPositions(7) && uniform.description == "7" && uniform.writers.isEmpty)
        #expect(EventPositions("7") == uniform)
    }

    @Test(arguments: ["-1", "1~zz~0.1", "1~ab~0", "1~ab~0.-1", "1~ab", "1~ab~0.1~2", "9223372036854775807~ab~0.1", "x", ""])
    func malformedPositionsAreRefused(_ text: String) {
        #expect(EventPositions(Substring(text)) == nil)
    }

    @Test func tooManyWritersAreRefused() {
        let distances = Array(repeating: "0", count: 65).joined(separator: ".")
        #expect(EventPositions(Substring("1~ab~1.\(distances)")) == nil)
    }

    @Test func aRoomIsReadAtItsOwnersPosition() throws {
        let positions = EventPositions(writers: [10, 20, 30], tag: ownership.tag)
        for index in 0..<200 {
            let room = try RoomID("!room\(index):example.org")
            #expect(positions.position(in: room, ownership: ownership) == [10, 20, 30][ownership.index(of: room)])
        }
    }

    @Test func positionsFromAnotherWriterListAreReadAtTheirLowest() {
        let earlier = EventPositions(writers: [10, 20], tag: RoomOwnership(writers: ["persister1", "persister2"]).tag)
        #expect(earlier.read(under: ownership) == EventPositions(10))
        let current = EventPositions(writers: [10, 20, 30], tag: ownership.tag)
        #expect(current.read(under: ownership) == current)
        #expect(RoomOwnership(writers: ["a", "b"]).tag != RoomOwnership(writers: ["b", "a"]).tag, "the order is part of the list")
    }

    @Test func comparingAndCombiningGoesWriterByWriter() {
        let tag = ownership.tag
        let first = EventPositions(writers: [10, 20, 30], tag: tag)
        let second = EventPositions(writers: [15, 15, 15], tag: tag)
        #expect(!first.reaches(second) && !second.reaches(first))
        #expect(first.lowered(to: second) == EventPositions(writers: [10, 15, 15], tag: tag))
        #expect(first.raised(to: second) == EventPositions(writers: [15, 20, 30], tag: tag))
        #expect(first.reaches(EventPositions(10)) && !first.reaches(EventPositions(11)))
        #expect(EventPositions(30).reaches(first) && !EventPositions(29).reaches(first))
        #expect(first.raised(to: EventPositions(25)) == EventPositions(writers: [25, 25, 30], tag: tag))
        #expect(EventPositions(8).reaches(EventPositions(8)) && !EventPositions(7).reaches(EventPositions(8)))
        #expect(EventPositions(7).raised(to: EventPositions(9)) == EventPositions(9) && EventPositions(7).lowered(to: EventPositions(9)) == EventPositions(7))
    }

    @Test func syncTokensCarryTheWritersPositionsAndStillReadTheSingleWriterFormat() throws {
        let token = try #require(SyncToken("a2_12~\(String(ownership.tag, radix: 16))~0.3.0_4_5_1700.6.7"))
        #expect(token.events == EventPositions(writers: [12, 15, 12], tag: ownership.tag))
        #expect(token.description == "a2_12~\(String(ownership.tag, radix: 16))~0.3.0_4_5_1700.6.7_0_0")
        let old = try #require(SyncToken("a1_12_4_5_1700.6.7"))
        #expect(old.events == EventPositions(12) && old.description == "a2_12_4_5_1700.6.7_0_0")
        #expect(SyncToken("a1_12~ab~0.3_4_5_1700.6.7") == nil, "the single-writer format has one events position")
        #expect(RoomToken("a2_12~\(String(ownership.tag, radix: 16))~0.3.0_4_5_1700.6.7") == .writers(token.events))
        #expect(RoomToken("a2_12_4_5_1700.6.7") == .stream(12))
    }

    /// To-device and device-list positions follow the ephemeral part; tokens from before they existed read them as 0,
    /// and only the vector format carries them.
    @Test func syncTokensCarryToDeviceAndDeviceListPositions() throws {
        let token = try #require(SyncToken("a2_12_4_5_1700.6.7_31_17"))
        #expect(token.toDevice == 31 && token.deviceLists == 17 && token.presence == 7)
        #expect(token.description == "a2_12_4_5_1700.6.7_31_17")
        let before = try #require(SyncToken("a2_12_4_5_1700.6.7"))
        #expect(before.toDevice == 0 && before.deviceLists == 0)
        #expect(SyncToken("a2_12_4_5_1700.6.7_31") == nil && SyncToken("a2_12_4_5_1700.6.7_31_-1") == nil)
        #expect(SyncToken("a1_12_4_5_1700.6.7_31_17") == nil, "the single-writer format predates them")
    }

    /// History fetched from other servers sits at negative stream orderings, and pagination tokens name them.
    @Test func paginationTokensReachBelowTheStream() {
        #expect(RoomToken("t12--40") == .topological(depth: 12, stream: -40))
        #expect(RoomToken.topological(depth: 12, stream: -40).description == "t12--40")
        #expect(RoomToken("t12-40") == .topological(depth: 12, stream: 40))
        for malformed in ["t-1-4", "t12-", "t12", "t12-4-5", "t12---4"] { #expect(RoomToken(malformed) == nil, "\(malformed)") }
    }
}
