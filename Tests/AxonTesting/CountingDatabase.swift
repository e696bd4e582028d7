import Storage
import Synchronization

/// Wraps a database and counts every `read` and `write`, so a test can prove a code path touches no database
/// at all (no query, no connection).
public final class CountingDatabase: Database {
    public let base: any Database
    private let readCounter = Atomic<Int>(0)

    /// The count of the `calls(during:)` the current task runs inside, if any. Child tasks and tasks created
    /// inside inherit it; work an earlier call left running (such as a deferred stream-position update) does not.
    @TaskLocal private static var scope: Scope?

    private final class Scope: Sendable {
        let database: ObjectIdentifier
        let counter = Atomic<Int>(0)
        init(database: ObjectIdentifier) { self.database = database }
    }

    public init(_ base: any Database) {
        self.base = base
    }

    /// Reads started so far, by anything. Not moved by the work earlier writes leave running in the background (on
    /// PostgreSQL each commit that advances a stream records its position shortly after), so a test that cannot
    /// scope its count with `calls(during:)` can still count a read-only path exactly.
    public var reads: Int { readCounter.load(ordering: .relaxed) }

    /// Runs `body` and counts the reads and writes it starts itself, so background work of earlier calls
    /// finishing meanwhile is not charged to it.
    public func calls<T>(during body: () async throws -> T) async rethrows -> (value: T, calls: Int) {
        let scope = Scope(database: ObjectIdentifier(self))
        let value = try await Self.$scope.withValue(scope) { try await body() }
        return (value, scope.counter.load(ordering: .relaxed))
    }

    public var dialect: SQLDialect { base.dialect }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        readCounter.add(1, ordering: .relaxed)
        count()
        return try await base.read(body)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        count()
        return try await base.write(body)
    }

    public func ping() async throws(StorageError) {
        count()
        try await base.ping()
    }

    public func close() async {
        await base.close()
    }

    private func count() {
        if let scope = Self.scope, scope.database == ObjectIdentifier(self) {
            scope.counter.add(1, ordering: .relaxed)
        }
    }
}
