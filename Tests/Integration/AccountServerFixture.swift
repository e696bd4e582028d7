import AxonTesting
import Foundation
import MatrixCrypto
import MatrixTypes
import Storage
import StorageSQLite

/// A real `axon` process for the account integration tests: config (SQLite unless a database section is
/// given), signing key, a free port, and the shared secret recorded so the log check looks for it.
struct AccountServerFixture {
    let directory: URL
    let configPath: String
    let port: Int
    let sharedSecret: String

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var sqlitePath: String { directory.appendingPathComponent("homeserver.db").path }

    /// - Parameters:
    ///   - database: a `database:` YAML section; SQLite in the fixture's directory when `nil`.
    ///   - extra: more top-level YAML keys.
    static func make(
        database: String? = nil, sharedSecret: String = "secret-\(UUID().uuidString)", extra: String = "", in directory: URL? = nil
    ) async throws -> AccountServerFixture {
        let dir = try directory ?? TestEnvironment.temporaryDirectory("axon-accounts")
        TestSecrets.record(sharedSecret)
        let keyPath = dir.appendingPathComponent("signing.key").path
        if !FileManager.default.fileExists(atPath: keyPath) {
            try SigningKey.keyFileContents([try SigningKey.generate()]).write(toFile: keyPath, atomically: true, encoding: .utf8)
        }
        let port = try await FreePort.next()
        let configPath = dir.appendingPathComponent("homeserver-\(port).yaml").path
        try """
            server_name: accounts.test
            listeners:
              - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
            \(database ?? "database: {name: sqlite3, args: {database: \(dir.path)/homeserver.db}}")
            media_store_path: \(dir.path)/media
            signing_key_path: \(keyPath)
            report_stats: false
            registration_shared_secret: "\(sharedSecret)"
            enable_registration: true
            enable_registration_without_verification: true
            bcrypt_rounds: 4
            \(extra)
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        return AccountServerFixture(directory: dir, configPath: configPath, port: port, sharedSecret: sharedSecret)
    }

    func start() async throws -> ServerProcess {
        let server = try ServerProcess(executable: "axon", arguments: ["-c", configPath], baseURL: baseURL)
        try await server.waitUntilHealthy()
        return server
    }

    /// `is_admin` of a user, read from the SQLite file once the server has stopped.
    func isAdmin(_ userID: String) async throws -> Bool? {
        let database = try await SQLiteDatabase(path: sqlitePath, readers: 1)
        do {
            let admin = try await database.read { connection in
                try connection.queryOne("SELECT is_admin FROM users WHERE user_id = ?", [.text(userID)])?.decode("is_admin", as: Bool.self)
            }
            await database.close()
            return admin
        } catch {
            await database.close()
            throw error
        }
    }

    /// Logs in with a password and returns the access token (recorded as a secret).
    func login(_ user: String, password: String) async throws -> TestHTTP.Reply {
        let body: JSONValue = ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(user)], "password": .string(password)]
        let reply = try await TestHTTP.request("POST", baseURL + "/_matrix/client/v3/login", body: String(decoding: body.encoded(), as: UTF8.self))
        if let token = reply.json?["access_token"]?.stringValue { TestSecrets.record(token) }
        return reply
    }
}

/// Runs a program to completion with `input` on its standard input; returns its status and combined output.
enum CommandRun {
    static func run(_ executable: URL, _ arguments: [String], input: String = "") async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(executable.path, arguments, input: input)
    }

    static var axon: URL { TestEnvironment.binaryDirectory.appendingPathComponent("axon") }
}
