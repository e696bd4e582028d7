import AxonTesting
import MatrixTypes
import Testing

/// The per-user caches of `/sync` (memberships, ignore lists) hold at most `cachedUsers` users: one more clears them,
/// so a busy server's memory does not grow with every user who ever synced; a user forgotten reads their
/// memberships and ignore list again on the next woken sync, which otherwise reads nothing.
@Suite struct SyncCacheBoundTests {
    @Test(arguments: [2, 10])
    func usersBeyondTheBoundAreForgottenAndReadAgain(cachedUsers: Int) async throws {
        try await withEachDatabase { database in
            let counting = CountingDatabase(database)
            let stack = try await SyncStack.make(database: counting, presenceEnabled: false, cachedUsers: cachedUsers)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let room = try await stack.createRoom(alice)
            try await stack.name(room, "chat", by: alice)
            try await stack.join(bob, room)
            try await stack.send(bob, room, "hello")
            var token = try #require(try await stack.sync(alice, lazy: true)["next_batch"]?.stringValue)
            token = try #require(try await stack.sync(alice, since: token, lazy: true)["next_batch"]?.stringValue)
            // Two more users sync: with room for two, the third user in the cache clears it, alice included.
            for name in ["carol", "dave"] { _ = try await stack.sync(try UserID("@\(name):sync.test"), lazy: true) }

            let sent = try await stack.send(bob, room, "news")
            let (response, calls) = try await counting.calls { try await stack.sync(alice, since: token, lazy: true) }
            #expect(response.timeline(room).compactMap { $0["event_id"]?.stringValue } == [sent.rawValue])
            #expect(calls == (cachedUsers == 2 ? 2 : 0), "alice's memberships and ignore list read again only once forgotten")
        }
    }
}
