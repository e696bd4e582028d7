import AxonTesting
import Storage
import Testing

@Suite("SQL values")
struct SQLValueTests {
    /// Every storage class, including the edges engines tend to get wrong.
    static let samples: [SQLValue] = [
        .null,
        .integer(0), .integer(-1), .integer(Int64.max), .integer(Int64.min),
        .real(0.1), .real(-2.5e-300), .real(1e300), .real(123_456.789),
        .text(""), .text("plain"), .text("quote ' and ? and \\ and \"double\""), .text("ünïcødé 🐈 \u{1F468}\u{200D}\u{1F469}"),
        .blob([]), .blob([0, 1, 2, 255, 0, 127]), .blob(Array(0...255)),
    ]

    @Test("every SQLValue round-trips through a typed table")
    func roundTrip() async throws {
        try await withEachDatabase { db in
            let blob = db.dialect.blobType
            try await db.write { txn in
                try txn.executeScript(
                    "CREATE TABLE samples (n BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, b \(blob))"
                )
                for (index, value) in Self.samples.enumerated() {
                    let column = Self.column(for: value)
                    try txn.execute("INSERT INTO samples (n, \(column)) VALUES (?, ?)", [.integer(Int64(index)), value])
                }
            }
            let rows = try await db.read { conn in try conn.query("SELECT n, i, r, t, b FROM samples ORDER BY n") }
            #expect(rows.count == Self.samples.count)
            for (row, expected) in zip(rows, Self.samples) {
                let column = Self.column(for: expected)
                #expect(try row.value(column) == expected, "\(db.dialect) \(column)")
            }
        }
    }

    @Test("placeholders inside literals and comments are not parameters")
    func placeholdersInLiterals() async throws {
        try await withEachDatabase(schema: nil) { db in
            let row = try await db.read { conn in
                try conn.queryOne(
                    "SELECT '?' AS literal, 'it''s ?' AS escaped, ? AS first, /* ? */ ? AS second -- ?\n",
                    [.text("a"), .integer(2)]
                )
            }
            #expect(try row?.decode("literal", as: String.self) == "?")
            #expect(try row?.decode("escaped", as: String.self) == "it's ?")
            #expect(try row?.decode("first", as: String.self) == "a")
            #expect(try row?.decode("second", as: Int64.self) == 2)
        }
    }

    @Test("rows decode by name and position, and report mismatches with the column name")
    func rowDecoding() async throws {
        try await withEachDatabase(schema: nil) { db in
            let row = try #require(try await db.read { conn in
                try conn.queryOne("SELECT 7 AS seven, 'x' AS letter, NULL AS absent")
            })
            #expect(try row.decode("seven", as: Int.self) == 7)
            #expect(try row.decode(1, as: String.self) == "x")
            #expect(try row.decode("absent", as: String?.self) == nil)
            #expect(throws: StorageError.typeMismatch(column: "letter", expected: "integer", found: "text")) {
                try row.decode("letter", as: Int64.self)
            }
            #expect(throws: StorageError.noSuchColumn("missing")) {
                try row.value("missing")
            }
        }
    }

    @Test("aggregates and booleans read the same on both engines")
    func aggregatesAndBooleans() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            try await db.write { txn in
                for id in 1...4 {
                    try txn.execute("INSERT INTO items (id, label) VALUES (?, ?)", [.integer(Int64(id)), "x"])
                }
            }
            let row = try #require(try await db.read { conn in
                try conn.queryOne("SELECT SUM(id) AS total, COUNT(*) AS n, MAX(id) > 3 AS big FROM items")
            })
            #expect(try row.decode("total", as: Int64.self) == 10)
            #expect(try row.decode("n", as: Int64.self) == 4)
            #expect(try row.decode("big", as: Bool.self) == true)
        }
    }

    private static func column(for value: SQLValue) -> String {
        switch value {
        case .null, .integer: "i"
        case .real: "r"
        case .text: "t"
        case .blob: "b"
        }
    }
}
