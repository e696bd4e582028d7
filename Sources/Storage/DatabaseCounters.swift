import CoreMetrics

/// What an engine asks of its database, counted for the metrics endpoint: divided by the events persisted and the
/// sync responses served over a workload, they give the statements and round trips each one costs.
///
/// Counters are created when the engine opens, so they report to whatever metrics backend the process bootstrapped
/// before that (none in tests, where every increment is a no-op).
public struct DatabaseCounters: Sendable {
    /// Which kind of transaction a statement ran in.
    public enum Use: String, Sendable, CaseIterable {
        case read
        case write
    }

    private let statements: [Use: Counter]
    private let roundTrips: [Use: Counter]

    public init(engine: SQLDialect) {
        func counters(_ label: String) -> [Use: Counter] {
            Dictionary(uniqueKeysWithValues: Use.allCases.map { use in
                (use, Counter(label: label, dimensions: [("engine", engine.rawValue), ("transaction", use.rawValue)]))
            })
        }
        statements = counters("axon_database_statements_total")
        roundTrips = counters("axon_database_round_trips_total")
    }

    /// One statement run through `query` or `execute`.
    public func countStatement(_ use: Use) {
        statements[use]?.increment()
    }

    /// One exchange that waits for a database server's answer: a statement, a preparation, `BEGIN` or `COMMIT`.
    /// SQLite runs in the process and has none.
    public func countRoundTrip(_ use: Use) {
        roundTrips[use]?.increment()
    }
}
