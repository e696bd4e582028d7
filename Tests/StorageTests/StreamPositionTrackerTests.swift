@testable import Storage
import Testing

@Suite("Stream position tracker")
struct StreamPositionTrackerTests {
    @Test("the position waits for the lowest ID in flight")
    func outOfOrder() {
        var advanced: Bool
        var tracker = StreamPositionTracker(position: 0, lastAllocated: 0)
        let ids = tracker.allocateFromCounter(3)
        #expect(ids == [1, 2, 3])
        advanced = tracker.finish([3], committed: true)
        #expect(!advanced)
        advanced = tracker.finish([2], committed: true)
        #expect(!advanced)
        #expect(tracker.position == 0)
        advanced = tracker.finish([1], committed: true)
        #expect(advanced)
        #expect(tracker.position == 3)
    }

    @Test("abandoned IDs are holes: they stop blocking, but the position only lands on committed IDs")
    func holes() {
        var advanced: Bool
        var tracker = StreamPositionTracker(position: 10, lastAllocated: 10)
        _ = tracker.allocateFromCounter(3)
        advanced = tracker.finish([11], committed: true)
        #expect(advanced)
        #expect(tracker.position == 11)
        advanced = tracker.finish([12], committed: false)
        #expect(!advanced)
        #expect(tracker.position == 11)
        advanced = tracker.finish([13], committed: true)
        #expect(advanced)
        #expect(tracker.position == 13)
        #expect(tracker.inFlightCount == 0)
    }

    @Test("a pending allocation caps the position at the highest ID allocated when it started")
    func pendingAllocation() {
        var advanced: Bool
        var tracker = StreamPositionTracker(position: 0, lastAllocated: 0)
        let first = tracker.beginAllocation()
        tracker.completeAllocation(first, ids: [5])
        let second = tracker.beginAllocation()
        // The second allocation's answer will be above 5, so 5 may become visible…
        advanced = tracker.finish([5], committed: true)
        #expect(advanced)
        #expect(tracker.position == 5)
        // …but a later ID finishing first must not be, until the second allocation is known.
        let third = tracker.beginAllocation()
        tracker.completeAllocation(third, ids: [9])
        advanced = tracker.finish([9], committed: true)
        #expect(!advanced)
        #expect(tracker.position == 5)
        tracker.completeAllocation(second, ids: [7])
        advanced = tracker.finish([9], committed: true)
        #expect(!advanced)
        advanced = tracker.finish([7], committed: true)
        #expect(advanced)
        #expect(tracker.position == 9)
    }

    @Test("a cancelled allocation releases the position")
    func cancelledAllocation() {
        var advanced: Bool
        var tracker = StreamPositionTracker(position: 0, lastAllocated: 0)
        let pending = tracker.beginAllocation()
        let other = tracker.beginAllocation()
        tracker.completeAllocation(other, ids: [1])
        advanced = tracker.finish([1], committed: true)
        #expect(!advanced)
        advanced = tracker.cancelAllocation(pending)
        #expect(advanced)
        #expect(tracker.position == 1)
    }

    @Test("another writer's position is taken as far as this writer's unfinished IDs allow")
    func observedWriter() {
        var advanced: Bool
        var tracker = StreamPositionTracker(position: 10, lastAllocated: 10)
        // Idle: the other writer's 14 was handed out already, so this writer's next ID lies above it.
        advanced = tracker.observe(14)
        #expect(advanced)
        #expect(tracker.position == 14)
        advanced = tracker.observe(12)
        #expect(!advanced)
        // Busy with 15 (allocated before the other writer's 20): 20 waits until 15 is finished.
        let allocation = tracker.beginAllocation()
        advanced = tracker.observe(20)
        #expect(!advanced)
        #expect(tracker.position == 14)
        tracker.completeAllocation(allocation, ids: [15])
        advanced = tracker.observe(21)
        #expect(!advanced)
        advanced = tracker.finish([15], committed: true)
        #expect(advanced)
        #expect(tracker.position == 21)
        // An allocation begun after observing 21 answers above it: what is observed next may be taken below the ID
        // in flight, without waiting for its commit.
        let next = tracker.beginAllocation()
        advanced = tracker.observe(24)
        #expect(!advanced)
        #expect(tracker.position == 21, "up to the pending allocation's floor")
        tracker.completeAllocation(next, ids: [30])
        advanced = tracker.observe(26)
        #expect(advanced)
        #expect(tracker.position == 26, "30 is in flight, and nothing of this writer's can land at or below 26")
        advanced = tracker.observe(35)
        #expect(advanced)
        #expect(tracker.position == 29, "just below the ID in flight")
        advanced = tracker.finish([30], committed: false)
        #expect(advanced)
        #expect(tracker.position == 35)
    }
}
