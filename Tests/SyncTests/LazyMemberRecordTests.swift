import MatrixTypes
import Replication
import Testing

@testable import Sync

/// The lazy-loaded member record forgets rather than grows: forgetting costs only resending members.
@Suite struct LazyMemberRecordTests {
    private let room = try! RoomID("!room:example.org")

    private func token(_ events: Int64) -> SyncToken {
        SyncToken(events: EventPositions(events), receipts: 0, accountData: 0, typingEpoch: 1, typing: 0)
    }

    private func user(_ index: Int) -> UserID {
        try! UserID("@u\(index):example.org")
    }

    /// Hands `user` a response from `since` to `next` carrying `members`, then continues from it (confirming them).
    private func deliver(_ record: LazyMemberRecord, _ user: UserID, members: Set<StateKey>, since: Int64, next: Int64) {
        record.issued(user: user, device: "D", since: token(since), next: token(next), added: [room: members])
        record.start(user: user, device: "D", since: token(next), reset: false)
    }

    @Test func devicesBeyondTheBoundAreForgottenLeastRecentFirst() {
        let record = LazyMemberRecord(devicesKept: 10, membersKept: 1_000)
        let member: Set<StateKey> = [.member("@m:example.org")]
        for index in 0 ..< 25 {
            deliver(record, user(index), members: member, since: 1, next: 2)
            #expect(record.deviceCount <= 10)
        }
        #expect(record.unsent(member, user: user(24), device: "D", room: room).isEmpty, "the latest device keeps its record")
        #expect(record.unsent(member, user: user(0), device: "D", room: room) == member, "the oldest is forgotten and resent")
    }

    @Test func aDeviceHoldingTooManyMembersStartsOver() {
        let record = LazyMemberRecord(devicesKept: 10, membersKept: 5)
        let alice = user(1)
        let few: Set<StateKey> = Set((0 ..< 5).map { StateKey.member("@m\($0):example.org") })
        deliver(record, alice, members: few, since: 1, next: 2)
        #expect(record.unsent(few, user: alice, device: "D", room: room).isEmpty)
        let more: Set<StateKey> = [.member("@extra:example.org")]
        deliver(record, alice, members: more, since: 2, next: 3)
        #expect(record.unsent(few.union(more), user: alice, device: "D", room: room) == few.union(more))
    }
}
