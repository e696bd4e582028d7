public import Logging
public import Storage

/// Axon's PostgreSQL engine: libpq connection pools whose blocking calls run on their own threads, never on an event
/// loop. Reads use up to `cp_max` connections; writes have their own (a quarter as many, at least two), so a burst of
/// reads — every long-poll woken by one message — never holds a commit back, nor a slow write a read.
///
/// ```swift
/// let db = try await PostgresDatabase(configuration: PostgresConfiguration(
///     host: args.host, port: args.port, user: args.user, password: args.password,
///     database: args.database, minConnections: args.cp_min, maxConnections: args.cp_max))
/// ```
public final class PostgresDatabase: Database {
    public let dialect = SQLDialect.postgres
    public let configuration: PostgresConfiguration
    private let readers: PostgresPool
    private let writers: PostgresPool
    private let closed = Locked(false)
    private let logger: Logger

    /// Connects `cp_min` connections; throws `.connectionFailed` if the server cannot be reached
    /// or refuses the credentials.
    public init(
        configuration: PostgresConfiguration,
        logger: Logger = Logger(label: "axon.storage.postgres")
    ) async throws(StorageError) {
        self.configuration = configuration
        self.logger = logger
        let counters = DatabaseCounters(engine: .postgres)
        let writerCount = max(2, configuration.maxConnections / 4)
        self.writers = try await PostgresPool.open(
            configuration: configuration, minConnections: 1, maxConnections: writerCount, counters: counters, logger: logger
        )
        do {
            self.readers = try await PostgresPool.open(
                configuration: configuration, minConnections: configuration.minConnections,
                maxConnections: configuration.maxConnections, counters: counters, logger: logger
            )
        } catch {
            await writers.close()
            throw error
        }
        logger.debug("connected to PostgreSQL", metadata: ["database": "\(configuration)"])
    }

    deinit {
        if !closed.withLock({ $0 }) {
            readers.abandon()
            writers.abandon()
        }
    }

    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await readers.withConnection(.read) { connection in
            connection.begin(lazily: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let value = try body(connection)
                try connection.commitReadOnly()
                return value
            } catch {
                connection.rollback()
                throw error
            }
        }
    }

    /// In autocommit: the statement is its own transaction.
    @discardableResult
    public func readStatement<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await readers.withConnection(.read) { connection in try body(connection) }
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await writers.withConnection(.write) { connection in
            connection.begin(lazily: "BEGIN")
            let value: T
            do {
                value = try body(connection)
            } catch {
                connection.rollback()
                throw error
            }
            try connection.commit()
            return value
        }
    }

    /// Runs `body` outside any transaction, for the statements PostgreSQL refuses inside one
    /// (`CREATE DATABASE`, `DROP DATABASE`, `VACUUM`). Each statement commits on its own.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await writers.withConnection(.write) { connection in try body(connection) }
    }

    public func close() async {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        await readers.close()
        await writers.close()
        logger.debug("closed PostgreSQL pool", metadata: ["database": "\(configuration)"])
    }
}
