/// A database engine: a pool of connections driven from async code.
///
/// Closures passed to `read` and `write` are synchronous and run on the engine's own threads
/// (never an event loop, never the cooperative pool), so they may do blocking work but must not
/// `await`. Keep them short: SQLite has one writer for the whole process.
public protocol Database: Sendable {
    var dialect: SQLDialect { get }

    /// Runs `body` on a reader connection inside a read-only transaction, so every query it makes
    /// sees one consistent snapshot.
    @discardableResult
    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T

    /// Runs `body`, which makes one statement, on a reader connection. A single statement sees one snapshot on its
    /// own, so an engine may run it outside a transaction and save the `BEGIN` and `COMMIT` (PostgreSQL does; the
    /// default is `read`). For the statements every request makes, such as finding its access token.
    @discardableResult
    func readStatement<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T

    /// Runs `body` in one transaction and commits it. If `body` throws, everything it did is rolled
    /// back and the error is rethrown: a failed request changes nothing. Returns after the commit
    /// is durable (or has failed, in which case it throws).
    @discardableResult
    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T

    /// Checks that the database answers a trivial query, for readiness probes.
    func ping() async throws(StorageError)

    /// Closes every connection and stops the engine's threads. Later calls throw `.closed`.
    func close() async
}

extension Database {
    @discardableResult
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await read(body)
    }

    /// One trivial round trip through a connection: what readiness checks ask of either engine.
    public func ping() async throws(StorageError) {
        do {
            _ = try await read { connection in try connection.queryValue("SELECT 1", as: Int64.self) }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .connectionFailed(reason: "\(error)")
        }
    }
}
