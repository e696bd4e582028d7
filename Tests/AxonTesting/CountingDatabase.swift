import Storage
import Synchronization

/// Wraps a database and counts every `read` and `write`, so a test can prove a code path touches no database
/// at all (no query, no connection).
public final class CountingDatabase: Database {
    public let base: any Database
    private let counter = Atomic<Int>(0)

    public init(_ base: any Database) {
        self.base = base
    }

    /// Reads plus writes started so far.
    public var calls: Int { counter.load(ordering: .relaxed) }

    public var dialect: SQLDialect { base.dialect }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        counter.add(1, ordering: .relaxed)
        return try await base.read(body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        counter.add(1, ordering: .relaxed)
        return try await base.write(body)
    }

    public func ping() async throws(StorageError) {
        counter.add(1, ordering: .relaxed)
        try await base.ping()
    }

    public func close() async {
        await base.close()
    }
}
