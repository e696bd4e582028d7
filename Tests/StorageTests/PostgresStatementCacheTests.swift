@testable import StoragePostgres
import Testing

@Suite("PostgreSQL statement cache")
struct PostgresStatementCacheTests {
    @Test("a text runs unprepared once, is prepared on its second use and runs prepared after that")
    func preparesOnSecondUse() {
        var cache = PostgresStatementCache()
        #expect(cache.plan(sql: "SELECT ? + 1", types: [20]) == .once(text: "SELECT $1 + 1"))
        let second = cache.plan(sql: "SELECT ? + 1", types: [20])
        guard case .prepare(let name, let text) = second else {
            Issue.record("expected a preparation, got \(second)")
            return
        }
        #expect(text == "SELECT $1 + 1")
        cache.didPrepare(sql: "SELECT ? + 1", types: [20], name: name)
        #expect(cache.plan(sql: "SELECT ? + 1", types: [20]) == .prepared(name: name))
    }

    @Test("the same text with other parameter types is another statement")
    func typesAreKeys() {
        var cache = PostgresStatementCache()
        _ = cache.plan(sql: "SELECT ?", types: [20])
        guard case .prepare(let name, _) = cache.plan(sql: "SELECT ?", types: [20]) else {
            Issue.record("expected a preparation")
            return
        }
        cache.didPrepare(sql: "SELECT ?", types: [20], name: name)
        #expect(cache.plan(sql: "SELECT ?", types: [0]) == .once(text: "SELECT $1"))
        #expect(cache.plan(sql: "SELECT ?", types: [20]) == .prepared(name: name))
    }

    @Test("names are never reused, and the cache reports full at its limit until emptied")
    func limit() {
        var cache = PostgresStatementCache()
        var names: Set<String> = []
        for index in 0..<PostgresStatementCache.limit {
            let sql = "SELECT \(index)"
            _ = cache.plan(sql: sql, types: [])
            #expect(!cache.isFull)
            guard case .prepare(let name, _) = cache.plan(sql: sql, types: []) else {
                Issue.record("expected a preparation of \(sql)")
                return
            }
            names.insert(name)
            cache.didPrepare(sql: sql, types: [], name: name)
        }
        #expect(names.count == PostgresStatementCache.limit)
        #expect(cache.isFull)
        cache.removeAll()
        #expect(!cache.isFull)
        #expect(cache.plan(sql: "SELECT 0", types: []) == .once(text: "SELECT 0"))
    }
}
