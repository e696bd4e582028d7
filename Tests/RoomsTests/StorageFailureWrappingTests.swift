import MatrixTypes
import RoomStore
import Rooms
import Storage
import Testing

/// Storage failures reach the room modules' errors by one path: a module's own error passes through unchanged, a
/// lower one is wrapped once, and anything else becomes a failed query.
@Suite struct StorageFailureWrappingTests {
    struct Unexpected: Error {}

    @Test func ownErrorsPassAndOthersAreWrappedOnce() async throws {
        let failed = StorageError.queryFailed(message: "boom")
        let noState = RoomStoreError.noStateFor(try EventID("$a:wrap.test"))
        await #expect(throws: RoomStoreError.storage(failed)) { try await RoomStoreError.catching { () async throws in throw failed } }
        #expect(throws: noState) { try RoomStoreError.catchingNow { throw noState } }
        #expect(throws: RoomStoreError.storage(.queryFailed(message: "Unexpected()"))) {
            try RoomStoreError.catchingNow { throw Unexpected() }
        }

        for (thrown, expected) in [(failed as any Error, RoomStoreError.storage(failed)), (noState, noState)] {
            let caught = await Self.roomError { () async throws(RoomError) in try await RoomError.catching { () async throws in throw thrown } }
            guard case .storage(let inner)? = caught else {
                Issue.record("\(String(describing: caught))")
                continue
            }
            #expect(inner == expected)
        }
        let passed = await Self.roomError { () async throws(RoomError) in try await RoomError.catching { () async throws in throw RoomError.roomNotFound } }
        guard case .roomNotFound? = passed else {
            Issue.record("a room error is not wrapped: \(String(describing: passed))")
            return
        }
    }

    private static func roomError(_ body: () async throws(RoomError) -> Void) async -> RoomError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }
}
