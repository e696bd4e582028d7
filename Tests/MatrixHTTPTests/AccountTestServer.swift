import MatrixCrypto
import Accounts
import AxonConfig
import AxonRuntime
import AxonTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import Storage
import Testing

/// An in-process server with the real composition for account tests, run once per database engine.
///
/// Registration is open, hashing is at the cheapest cost and rate limits are out of the way unless a test
/// sets its own; `settings` are top-level YAML keys merged over those defaults.
struct AccountTestServer {
    static let sharedSecret = "test shared secret"

    static let defaults: [String: String] = [
        "enable_registration": "true",
        "enable_registration_without_verification": "true",
        "bcrypt_rounds": "4",
        "registration_shared_secret": "\"\(sharedSecret)\"",
        "rc_login": "{address: {per_second: 1000, burst_count: 1000}, account: {per_second: 1000, burst_count: 1000}, failed_attempts: {per_second: 1000, burst_count: 1000}}",
        "rc_registration": "{per_second: 1000, burst_count: 1000}",
        "rc_message": "{per_second: 1000, burst_count: 1000}",
        "rc_room_creation": "{per_second: 1000, burst_count: 1000}",
        "rc_joins": "{local: {per_second: 1000, burst_count: 1000}}",
        "rc_joins_per_room": "{per_second: 1000, burst_count: 1000}",
        "rc_invites": "{per_room: {per_second: 1000, burst_count: 1000}, per_user: {per_second: 1000, burst_count: 1000}, per_issuer: {per_second: 1000, burst_count: 1000}}",
        "rc_presence": "{per_user: {per_second: 1000, burst_count: 1000}}",
    ]

    static func config(_ settings: [String: String] = [:]) throws -> HomeserverConfig {
        let merged = defaults.merging(settings) { $1 }
        return try TestConfig.monolith(extra: merged.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
    }

    /// Runs `body` against a fresh server on each engine.
    /// - Parameter logger: the server's logger, for tests that check what reaches the log.
    static func run(
        _ settings: [String: String] = [:], logger: Logger = Logger(label: "account-tests"), _ body: @Sendable (AccountClient) async throws -> Void
    ) async throws {
        let config = try config(settings)
        try await withEachDatabase { engine in
            let database = CountingDatabase(engine)
            let composition = try await Composition(config: config, role: .main, database: database, signingKey: try SigningKey.generate(), logger: logger)
            let responder = composition.responder(listenerResources: RouteResource.allCases, trustForwardedFor: false)
            let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                try await body(AccountClient(client: client, composition: composition, database: database))
            }
        }
    }
}

/// A JSON client for the test server, with helpers for the steps most account tests repeat.
struct AccountClient: Sendable {
    let client: any TestClientProtocol
    let composition: Composition
    /// The server's database, counting every read and write.
    let database: CountingDatabase

    struct Reply: Sendable, CustomStringConvertible {
        let status: Int
        let json: JSONValue

        var errcode: String? { json["errcode"]?.stringValue }
        var description: String { "\(status) \(json)" }
    }

    enum Credential {
        case bearer(String)
        case query(String)
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue? = nil, token: String? = nil) async throws -> Reply {
        try await call(method, path, body, credential: token.map(Credential.bearer))
    }

    func call(_ method: HTTPRequest.Method, _ path: String, _ body: JSONValue?, credential: Credential?) async throws -> Reply {
        var uri = path
        var headers: HTTPFields = [:]
        switch credential {
        case .bearer(let token): headers[.authorization] = "Bearer \(token)"
        case .query(let token): uri += (uri.contains("?") ? "&" : "?") + "access_token=\(Self.queryEncoded(token))"
        case nil: break
        }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0.encoded()) }
        )
        let json = response.body.readableBytes == 0 ? JSONValue.null : (try? JSONValue.parse(response.body.readableBytesView)) ?? .null
        return Reply(status: Int(response.status.code), json: json)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters (`+` would read as a space).
    static func queryEncoded(_ value: String) -> String {
        value.utf8.map { byte in
            let scalar = Unicode.Scalar(byte)
            let unreserved = ("0"..."9").contains(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || "-._~".unicodeScalars.contains(scalar)
            return unreserved ? String(scalar) : "%" + String(byte, radix: 16, uppercase: true).leftPadded()
        }.joined()
    }

    /// Registers through the two-step `m.login.dummy` flow clients use; returns the login.
    @discardableResult
    func register(_ username: String, password: String = "password-\(UInt32.random(in: 0...UInt32.max))", extra: JSONObject = [:])
        async throws -> Session
    {
        var body: JSONObject = ["username": .string(username), "password": .string(password)]
        body.merge(extra) { $1 }
        let challenge = try await call(.post, "/_matrix/client/v3/register", .object(body))
        try #require(challenge.status == 401, "\(challenge)")
        let session = try #require(challenge.json["session"]?.stringValue)
        let done = try await call(.post, "/_matrix/client/v3/register", ["auth": ["type": "m.login.dummy", "session": .string(session)]])
        try #require(done.status == 200, "\(done)")
        return Self.recorded(Session(
            userID: try #require(done.json["user_id"]?.stringValue), token: try #require(done.json["access_token"]?.stringValue),
            deviceID: try #require(done.json["device_id"]?.stringValue), password: password
        ))
    }

    func login(_ user: String, password: String, deviceID: String? = nil) async throws -> Reply {
        var body: JSONValue = ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(user)], "password": .string(password)]
        if let deviceID { body["device_id"] = .string(deviceID) }
        return try await call(.post, "/_matrix/client/v3/login", body)
    }

    func loggedIn(_ session: Session) async throws -> Session {
        let reply = try await login(session.userID, password: session.password)
        try #require(reply.status == 200, "\(reply)")
        return Self.recorded(Session(
            userID: session.userID, token: try #require(reply.json["access_token"]?.stringValue),
            deviceID: try #require(reply.json["device_id"]?.stringValue), password: session.password
        ))
    }

    /// Hands the session's token and password to the log-secrecy check. Short passwords chosen by a test
    /// ("pw") would match unrelated text, so only ones long enough to be unique are recorded.
    private static func recorded(_ session: Session) -> Session {
        TestSecrets.record(session.token)
        if session.password.count >= 12 { TestSecrets.record(session.password) }
        return session
    }

    func whoami(_ token: String) async throws -> Reply {
        try await call(.get, "/_matrix/client/v3/account/whoami", token: token)
    }

    /// The `auth` object for a password stage of user-interactive auth.
    static func passwordAuth(_ session: Session, password: String? = nil, uiaSession: String? = nil) -> JSONValue {
        var auth: JSONValue = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(session.userID)],
            "password": .string(password ?? session.password),
        ]
        if let uiaSession { auth["session"] = .string(uiaSession) }
        return auth
    }
}

extension String {
    func leftPadded() -> String { count < 2 ? "0" + self : self }
}

struct Session: Sendable {
    let userID: String
    let token: String
    let deviceID: String
    let password: String
}
