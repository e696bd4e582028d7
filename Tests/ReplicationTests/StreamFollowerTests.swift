import Logging
import MatrixTypes
import Replication
import Synchronization
import Testing

/// The follower's bookkeeping, fed messages directly: nothing is skipped when messages are lost, and positions wait
/// for the catch-up.
struct StreamFollowerTests {
    let room = try! RoomID("!room:example.org")

    /// Records what a follower hands its process, and which ranges it asked the database for.
    final class Recorder: Sendable {
        let notices = Mutex<[StreamNotice]>([])
        let catchUps = Mutex<[(StreamName, Int64, Int64)]>([])
    }

    func follower(_ recorder: Recorder, database rows: [StreamNotice] = []) -> StreamFollower {
        let follower = StreamFollower(
            instance: "reader", writers: [.events: ["main"], .receipts: ["main"]], positions: [.events: ["main": 10]],
            logger: Logger(label: "test")
        )
        follower.notices.subscribe { notice in recorder.notices.withLock { $0.append(notice) } }
        follower.start { stream, after, upTo in
            recorder.catchUps.withLock { $0.append((stream, after, upTo)) }
            return rows.filter { $0.stream == stream && $0.position > after && $0.position <= upTo }
        }
        return follower
    }

    func send(_ follower: StreamFollower, _ sequence: UInt64, _ command: ReplicationCommand, sender: String = "main", run: Int64 = 1) {
        follower.receive(Array(ReplicationMessage(sender: sender, run: run, sequence: sequence, command: command).encoded.utf8))
    }

    func event(_ position: Int64) -> StreamNotice {
        StreamNotice(stream: .events, position: position, roomID: room)
    }

    func waitFor(_ follower: StreamFollower, _ stream: StreamName, at position: Int64) async {
        for await current in follower.positions(of: stream) where current >= position { return }
    }

    @Test func theFirstPositionAfterSubscribingCatchesUpFromTheDatabase() async {
        let recorder = Recorder()
        let follower = follower(recorder, database: [event(11), event(12)])
        follower.resubscribed()
        send(follower, 5, .position(.events, 12))
        await waitFor(follower, .events, at: 12)
        #expect(recorder.catchUps.withLock { $0.map { "\($0.0) \($0.1) \($0.2)" } } == ["events 10 12"])
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11, 12])
    }

    @Test func anUnbrokenSequenceNeedsNoDatabase() async {
        let recorder = Recorder()
        let follower = follower(recorder)
        send(follower, 1, .position(.events, 10))
        send(follower, 2, .data(event(11)))
        send(follower, 3, .position(.events, 11))
        await waitFor(follower, .events, at: 11)
        #expect(recorder.catchUps.withLock { $0.isEmpty }, "the first position is where the follower already stands")
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11])
    }

    @Test func aSkippedNumberMakesTheNextPositionWaitForTheRowsInBetween() async {
        let recorder = Recorder()
        let follower = follower(recorder, database: [event(11), event(12), event(13)])
        send(follower, 1, .position(.events, 10))
        send(follower, 2, .data(event(11)))
        // 3 (the notice of 12) is lost.
        send(follower, 4, .data(event(13)))
        send(follower, 5, .position(.events, 13))
        await waitFor(follower, .events, at: 13)
        #expect(recorder.catchUps.withLock { $0.last.map { "\($0.0) \($0.1) \($0.2)" } } == "events 10 13")
        #expect(Set(recorder.notices.withLock { $0.map(\.position) }) == [11, 12, 13])
    }

    @Test func repeatedMessagesAreDroppedAndOwnMessagesIgnored() async {
        let recorder = Recorder()
        let follower = follower(recorder)
        send(follower, 1, .position(.events, 10))
        send(follower, 2, .data(event(11)))
        send(follower, 2, .data(event(11)))
        send(follower, 1, .data(event(12)), sender: "reader")
        send(follower, 3, .position(.events, 11))
        await waitFor(follower, .events, at: 11)
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11])
    }

    @Test func aRestartedWriterIsCaughtUp() async {
        let recorder = Recorder()
        let follower = follower(recorder, database: [event(11), event(12)])
        send(follower, 1, .position(.events, 10))
        send(follower, 1, .position(.events, 12), run: 2)
        await waitFor(follower, .events, at: 12)
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11, 12])
    }

    @Test func positionsFromAnotherInstanceAreNotTheWritersAndNeverGoBack() async {
        let recorder = Recorder()
        let follower = follower(recorder)
        send(follower, 1, .position(.events, 15), sender: "intruder")
        send(follower, 1, .position(.receipts, 3))
        await waitFor(follower, .receipts, at: 3)
        send(follower, 2, .position(.receipts, 1))
        send(follower, 3, .position(.receipts, 4))
        await waitFor(follower, .receipts, at: 4)
        #expect(follower.position(of: .events) == 10)
    }

    @Test func serversAnnouncedUpReachEveryHandler() async {
        let follower = StreamFollower(instance: "sender", writers: [.events: ["main"]], positions: [.events: ["main": 0]], logger: Logger(label: "test"))
        let heard = Mutex<[String]>([])
        follower.onRemoteServerUp { server in heard.withLock { $0.append("first \(server.rawValue)") } }
        follower.onRemoteServerUp { server in heard.withLock { $0.append("second \(server.rawValue)") } }
        follower.start { _, _, _ in [] }
        send(follower, 1, .remoteServerUp(try! ServerName("peer.example")), sender: "receiver")
        while heard.withLock({ $0.count }) < 2 { await Task.yield() }
        #expect(heard.withLock { $0 } == ["first peer.example", "second peer.example"])
    }

    @Test func aFailedCatchUpHoldsThePositionUntilTheNextOneSucceeds() async {
        let recorder = Recorder()
        let failures = Mutex(1)
        let follower = StreamFollower(
            instance: "reader", writers: [.events: ["main"]], positions: [.events: ["main": 10]], logger: Logger(label: "test")
        )
        follower.notices.subscribe { notice in recorder.notices.withLock { $0.append(notice) } }
        follower.start { _, after, upTo in
            if failures.withLock({ value in defer { value -= 1 }; return value > 0 }) { throw CancellationError() }
            return (after + 1...upTo).map { StreamNotice(stream: .events, position: $0, roomID: room) }
        }
        send(follower, 1, .position(.events, 12))
        while follower.lag()[.events] == nil { await Task.yield() }
        #expect(follower.lag()[.events]?.positions == 2, "behind the writer's position until caught up")
        send(follower, 2, .ping)
        send(follower, 3, .position(.events, 12))
        await waitFor(follower, .events, at: 12)
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11, 12])
        #expect(follower.lag().isEmpty)
    }

    @Test func endlesslyNewSenderNamesDoNotGrowTheFollower() async {
        let recorder = Recorder()
        let follower = follower(recorder)
        for index in 0..<(StreamFollower.senderLimit + 50) { send(follower, 1, .ping, sender: "stranger\(index)") }
        send(follower, 1, .position(.events, 10))
        send(follower, 2, .data(event(11)))
        send(follower, 3, .position(.events, 11))
        await waitFor(follower, .events, at: 11)
        #expect(follower.trackedSenders <= 51, "the strangers were forgotten once there were too many: \(follower.trackedSenders)")
        #expect(recorder.notices.withLock { $0.map(\.position) } == [11])
    }

    @Test func aStreamOfSeveralWritersStandsAtTheLowestAndEachWriterIsCaughtUpAlone() async {
        let recorder = Recorder()
        let announced = Mutex<[String]>([])
        let follower = StreamFollower(
            instance: "reader", writers: [.events: ["persister1", "persister2"]],
            positions: [.events: ["persister1": 10, "persister2": 8]],
            onWriterPosition: { _, writer, position in announced.withLock { $0.append("\(writer)=\(position)") } },
            logger: Logger(label: "test")
        )
        follower.notices.subscribe { notice in recorder.notices.withLock { $0.append(notice) } }
        follower.start { stream, after, upTo in
            recorder.catchUps.withLock { $0.append((stream, after, upTo)) }
            return []
        }
        #expect(follower.position(of: .events) == 8)
        send(follower, 1, .position(.events, 10), sender: "persister1")
        send(follower, 2, .position(.events, 14), sender: "persister1")
        send(follower, 1, .position(.events, 8), sender: "persister2")
        send(follower, 2, .position(.events, 12), sender: "persister2")
        await waitFor(follower, .events, at: 12)
        #expect(follower.position(of: .events) == 12, "persister2 holds the stream at 12 while persister1 is at 14")
        #expect(follower.position(of: .events, writer: "persister1") == 14, "each writer's own position is kept")
        #expect(await follower.waitUntil(.events, writer: "persister1", reaches: 14, timeout: .seconds(5)))
        #expect(!(await follower.waitUntil(.events, writer: "persister2", reaches: 14, timeout: .milliseconds(50))))
        #expect(follower.lag()[.events] == nil || follower.lag()[.events]?.positions == 0)
        send(follower, 3, .position(.events, 15), sender: "persister2")
        await waitFor(follower, .events, at: 14)
        #expect(follower.position(of: .events) == 14)
        #expect(recorder.catchUps.withLock { $0.isEmpty }, "each writer's first position is where it already stood")
        #expect(announced.withLock { $0 } == ["persister1=10", "persister1=14", "persister2=8", "persister2=12", "persister2=15"])
    }

    @Test func oneWritersPositionsAreYieldedAsItAdvancesWhateverTheOthersDo() async {
        let follower = StreamFollower(
            instance: "reader", writers: [.events: ["persister1", "persister2"]],
            positions: [.events: ["persister1": 10, "persister2": 8]], logger: Logger(label: "test")
        )
        follower.start { _, _, _ in [] }
        var first = follower.positions(of: .events, writer: "persister1").makeAsyncIterator()
        #expect(await first.next() == 10)
        send(follower, 1, .position(.events, 10), sender: "persister1")
        send(follower, 2, .position(.events, 20), sender: "persister1")
        #expect(await first.next() == 20, "persister2, silent, does not hold persister1's position back")
        #expect(follower.position(of: .events) == 8)
    }
}
