import Foundation

/// An empty PostgreSQL database for tests that start real processes, described as the `database:` section
/// of a homeserver.yaml.
public struct PostgresProcessDatabase: Sendable {
    public let name: String
    /// `database: {name: psycopg2, args: {…}}` pointing at the test cluster.
    public let yaml: String

    public static var isAvailable: Bool { TestPostgres.conninfo != nil }

    public init(name: String, yaml: String) {
        self.name = name
        self.yaml = yaml
    }

    /// Creates an empty database, runs `body`, then drops the database.
    public static func withEmpty(_ body: (PostgresProcessDatabase) async throws -> Void) async throws {
        guard let conninfo = TestPostgres.conninfo else { throw MissingPostgres() }
        let name = try await TestPostgres.createDatabase(schema: nil)
        var args: [String: String] = [:]
        for pair in conninfo.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { args[parts[0]] = parts[1] }
        }
        let yaml = """
            database:
              name: psycopg2
              args: {host: \(args["host"] ?? "127.0.0.1"), port: \(args["port"] ?? "5432"), user: \(args["user"] ?? "postgres"), database: \(name), cp_min: 1, cp_max: 4}
            """
        do {
            try await body(PostgresProcessDatabase(name: name, yaml: yaml))
        } catch {
            try? await TestPostgres.dropDatabase(name)
            throw error
        }
        try await TestPostgres.dropDatabase(name)
    }
}


struct MissingPostgres: Error, CustomStringConvertible {
    var description: String { "AXON_TEST_POSTGRES is not set; make test starts a PostgreSQL for these tests" }
}
