import AxonTesting
import Filters
import MatrixTypes
import Storage
import Testing

/// A client long-polling names the same filter on every request: a stored one is read from the database once, an
/// inline one parsed once; what is not a valid filter is refused every time.
@Suite struct SyncFilterReuseTests {
    @Test func storedFiltersAreReadOnceAndInlineOnesParsedOnce() async throws {
        try await withEachDatabase { database in
            let counting = CountingDatabase(database)
            let filters = FilterService(database: counting)
            let alice = try UserID("@alice:filters.test")
            let bob = try UserID("@bob:filters.test")
            let stored: JSONValue = ["room": ["timeline": ["limit": 5]]]
            let id = try await filters.create(stored, user: alice, requester: alice)

            let first = try await counting.calls { try await filters.syncFilter(id, user: alice) }
            #expect(first.value == stored)
            #expect(first.calls == 1)
            let second = try await counting.calls { try await filters.syncFilter(id, user: alice) }
            #expect(second.value == stored)
            #expect(second.calls == 0, "the second use reads no database")
            await #expect(throws: FilterError.self, "another user's filter of the same number is not theirs") {
                try await filters.syncFilter(id, user: bob)
            }

            let inline = #"{"room":{"state":{"lazy_load_members":true}}}"#
            #expect(try filters.inlineSyncFilter(inline) == ["room": ["state": ["lazy_load_members": true]]])
            #expect(try filters.inlineSyncFilter(inline) == ["room": ["state": ["lazy_load_members": true]]])
            #expect(try filters.inlineSyncFilter("{not json") == nil)
            for _ in 0..<2 {
                #expect(throws: FilterError.self) { try filters.inlineSyncFilter(#"{"room":{"timeline":{"limit":"five"}}}"#) }
            }
        }
    }
}
