import AxonTesting
import Foundation
import MatrixTypes

/// One registered user talking JSON to any homeserver's client API by base URL.
struct SuiteClient: Sendable {
    struct Reply: Sendable, CustomStringConvertible {
        let status: Int
        let json: JSONValue

        var errcode: String? { json["errcode"]?.stringValue }
        var description: String { "\(status) \(json)" }
    }

    let baseURL: String
    let userID: String
    let deviceID: String
    let accessToken: String
    /// Known for users this suite registered, for user-interactive auth and further logins.
    var password: String? = nil

    /// Registers a fresh user with `m.login.dummy`.
    static func register(_ baseURL: String, prefix: String = "u", recordSecrets: Bool) async throws -> SuiteClient {
        let localpart = "\(prefix)\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        if recordSecrets { TestSecrets.record(password) }
        let body: JSONValue = ["username": .string(localpart), "password": .string(password), "auth": ["type": "m.login.dummy"]]
        let reply = try await raw("POST", baseURL + "/_matrix/client/v3/register", body: body, token: nil)
        guard reply.status == 200, let user = reply.json["user_id"]?.stringValue, let token = reply.json["access_token"]?.stringValue,
            let device = reply.json["device_id"]?.stringValue
        else { throw SuiteFailure("registration failed: \(reply)") }
        if recordSecrets { TestSecrets.record(token) }
        return SuiteClient(baseURL: baseURL, userID: user, deviceID: device, accessToken: token, password: password)
    }

    /// The same user logged in again with the password: another device.
    func login(recordSecrets: Bool) async throws -> SuiteClient {
        let body: JSONValue = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(userID)], "password": .string(password ?? ""),
        ]
        let reply = try await Self.raw("POST", baseURL + "/_matrix/client/v3/login", body: body, token: nil)
        guard reply.status == 200, let token = reply.json["access_token"]?.stringValue, let device = reply.json["device_id"]?.stringValue else {
            throw SuiteFailure("login failed: \(reply)")
        }
        if recordSecrets { TestSecrets.record(token) }
        return SuiteClient(baseURL: baseURL, userID: userID, deviceID: device, accessToken: token, password: password)
    }

    /// The `auth` of a password stage for user-interactive auth session `session`.
    func passwordAuth(session: String?) -> JSONValue {
        var auth: JSONObject = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(userID)], "password": .string(password ?? ""),
        ]
        if let session { auth["session"] = .string(session) }
        return .object(auth)
    }

    /// `method path` under `/_matrix/client/v3`, authenticated as this user.
    @discardableResult
    func call(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> Reply {
        try await Self.raw(method, baseURL + "/_matrix/client/v3" + path, body: body, token: accessToken)
    }

    /// As `call`, failing unless the server answers 200.
    @discardableResult
    func ok(_ method: String, _ path: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        let reply = try await call(method, path, body)
        guard reply.status == 200 else { throw SuiteFailure("\(method) \(path) answered \(reply)") }
        return reply.json
    }

    /// As `call`, with the body sent as exactly this text (for JSON a `JSONValue` cannot hold, such as repeated keys).
    func call(_ method: String, _ path: String, text: String) async throws -> Reply {
        let reply = try await TestHTTP.request(
            method, baseURL + "/_matrix/client/v3" + path, body: text, headers: [("Authorization", "Bearer \(accessToken)")]
        )
        return Reply(status: reply.status, json: reply.json ?? .null)
    }

    static func raw(_ method: String, _ url: String, body: JSONValue?, token: String?) async throws -> Reply {
        let reply = try await TestHTTP.request(
            method, url, body: body.map { String(decoding: $0.encoded(), as: UTF8.self) },
            headers: token.map { [("Authorization", "Bearer \($0)")] } ?? []
        )
        return Reply(status: reply.status, json: reply.json ?? .null)
    }

    /// `method path` (from the server's root, such as `/_matrix/media/v3/upload`) with raw bytes, as this user unless
    /// `authenticated` is false.
    func media(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil, authenticated: Bool = true
    ) async throws -> TestHTTP.BinaryReply {
        var headers: [(String, String)] = authenticated ? [("Authorization", "Bearer \(accessToken)")] : []
        if let contentType { headers.append(("Content-Type", contentType)) }
        return try await TestHTTP.exchange(method, baseURL + path, body: body, headers: headers)
    }

    /// Uploads `bytes` and returns the `mxc://` URI split into server name and media ID.
    func upload(_ bytes: [UInt8], contentType: String, fileName: String? = nil) async throws -> (server: String, mediaID: String) {
        let query = fileName.map { "?filename=\(Self.escape($0))" } ?? ""
        let reply = try await media("POST", "/_matrix/media/v3/upload\(query)", body: bytes, contentType: contentType)
        guard reply.status == 200, let uri = reply.json?["content_uri"]?.stringValue, uri.hasPrefix("mxc://") else {
            throw SuiteFailure("upload answered \(reply.status) \(String(decoding: reply.body.prefix(300), as: UTF8.self))")
        }
        let parts = uri.dropFirst("mxc://".count).split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw SuiteFailure("not an mxc URI: \(uri)") }
        return (parts[0], parts[1])
    }

    func createRoom(_ body: JSONValue = [:]) async throws -> String {
        guard let roomID = try await ok("POST", "/createRoom", body)["room_id"]?.stringValue else { throw SuiteFailure("no room_id") }
        return roomID
    }

    func send(_ roomID: String, _ text: String, txn: String = UUID().uuidString) async throws -> String {
        let reply = try await ok("PUT", "/rooms/\(Self.escape(roomID))/send/m.room.message/\(txn)", ["msgtype": "m.text", "body": .string(text)])
        guard let eventID = reply["event_id"]?.stringValue else { throw SuiteFailure("no event_id") }
        return eventID
    }

    func sync(since: String? = nil, filter: JSONValue? = nil, timeout: Int = 0) async throws -> JSONValue {
        var query = ["timeout=\(timeout)"]
        if let since { query.append("since=\(Self.escape(since))") }
        if let filter { query.append("filter=\(Self.escape(String(decoding: filter.encoded(), as: UTF8.self)))") }
        return try await ok("GET", "/sync?" + query.joined(separator: "&"))
    }

    /// Percent-encodes every byte but RFC 3986's unreserved ASCII (`.alphanumerics` would pass non-ASCII letters and marks raw).
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

struct SuiteFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JSONValue {
    /// Timeline events of a room in a sync response.
    func timeline(_ roomID: String, section: String = "join") -> [JSONValue] {
        self["rooms"]?[section]?[roomID]?["timeline"]?["events"]?.arrayValue ?? []
    }
}
