import RoomStore
import Storage

/// Runs database work, reporting its failures as `RoomError`.
nonisolated(nonsending) func databaseCall<T>(_ body: () async throws -> T) async throws(RoomError) -> T {
    do {
        return try await body()
    } catch let error as RoomError {
        throw error
    } catch let error as StorageError {
        throw .storage(.storage(error))
    } catch {
        throw .storage(.storage(.queryFailed(message: "\(error)")))
    }
}
