import CLibPQ

/// The statements one connection has prepared, by SQL text and parameter types, so the server parses and plans
/// each of Axon's queries once per connection instead of on every call.
///
/// A text runs unprepared the first time it is seen and is prepared on its second use: one-off texts (an `IN` list
/// of an unusual length, a migration) would otherwise each cost an extra round trip. Beyond `limit` prepared
/// statements the connection deallocates them all and starts over, as the SQLite connection drops its cache.
struct PostgresStatementCache {
    /// How to run one statement.
    enum Plan: Equatable {
        /// Execute the statement prepared under `name`.
        case prepared(name: String)
        /// Prepare `text` (placeholders rewritten) under `name`, then execute it.
        case prepare(name: String, text: String)
        /// Run `text` unprepared: the first use of its SQL.
        case once(text: String)
    }

    private struct Key: Hashable {
        let sql: String
        let types: [Oid]
    }

    static let limit = 256

    private var prepared: [Key: String] = [:]
    private var seenOnce: Set<Key> = []
    private var preparedCount = 0

    /// Whether preparing another statement needs `DEALLOCATE ALL` and `removeAll()` first.
    var isFull: Bool {
        prepared.count >= Self.limit
    }

    mutating func plan(sql: String, types: [Oid]) -> Plan {
        let key = Key(sql: sql, types: types)
        if let name = prepared[key] { return .prepared(name: name) }
        let text = PostgresPlaceholders.rewrite(sql)
        if seenOnce.contains(key) {
            preparedCount += 1
            return .prepare(name: "axon_\(preparedCount)", text: text)
        }
        if seenOnce.count >= Self.limit * 4 { seenOnce.removeAll() }
        seenOnce.insert(key)
        return .once(text: text)
    }

    /// Records that the server now holds `sql` prepared as `name`.
    mutating func didPrepare(sql: String, types: [Oid], name: String) {
        let key = Key(sql: sql, types: types)
        seenOnce.remove(key)
        prepared[key] = name
    }

    /// Forgets every prepared statement: after `DEALLOCATE ALL`, or a reconnect (which drops them on the server).
    mutating func removeAll() {
        prepared.removeAll()
        seenOnce.removeAll()
    }
}
