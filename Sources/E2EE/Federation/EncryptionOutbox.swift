public import MatrixTypes
public import Storage

/// To-device messages and device-list updates waiting for other servers, in the database from the moment the change
/// commits until the destination acknowledges the transaction that carried them: the federation sender reads from
/// here instead of holding them in memory, so neither a restart nor a long outage of the destination loses one.
public struct EncryptionOutbox: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The destinations with EDUs waiting.
    public func destinations() async throws -> [ServerName] {
        try await database.read { connection in try FederationOutboxTable.destinations(in: connection) }.compactMap { try? ServerName($0) }
    }

    /// The destination's oldest `limit` EDUs, each with the ID that `delivered` takes.
    public func next(for destination: ServerName, limit: Int) async throws -> [(id: Int64, edu: JSONValue)] {
        let rows = try await database.read { connection in
            try FederationOutboxTable.next(destination: destination.rawValue, limit: limit, in: connection)
        }
        return rows.map { row in (row.id, (try? JSONValue.parse(row.edu)) ?? .null) }
    }

    /// Forgets EDUs the destination acknowledged (or refused for good).
    public func delivered(_ ids: [Int64]) async throws {
        try await database.write { transaction in try FederationOutboxTable.delete(ids: ids, in: transaction) }
    }

    /// Queues `edu` for each of `destinations` in `transaction`.
    static func queue(_ edu: JSONValue, for destinations: some Sequence<ServerName>, in transaction: any Transaction) throws(StorageError) {
        let text = String(decoding: edu.encoded(), as: UTF8.self)
        for destination in destinations { try FederationOutboxTable.insert(destination: destination.rawValue, edu: text, in: transaction) }
    }
}
