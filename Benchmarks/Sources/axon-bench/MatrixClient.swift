import AsyncHTTPClient
import MatrixTypes
import NIOCore
import NIOHTTP1

/// The handful of Client-Server API calls the benchmark needs, for one user (or anonymous before registration).
struct MatrixClient: Sendable {
    let http: HTTPClient
    let baseURL: String
    var accessToken: String?
    var userID: String = ""

    /// Sends one request and returns the parsed JSON body of a 2xx answer.
    func call(
        _ method: HTTPMethod,
        _ path: String,
        body: JSONValue? = nil,
        timeout: TimeAmount = .seconds(60)
    ) async throws(BenchError) -> JSONValue {
        try await sizedCall(method, path, body: body, timeout: timeout).json
    }

    /// As `call`, with the size of the body as it came over the wire.
    func sizedCall(_ method: HTTPMethod, _ path: String, body: JSONValue?, timeout: TimeAmount) async throws(BenchError)
        -> (json: JSONValue, bytes: Int)
    {
        let ((status, json), bytes) = try await rawWithSize(method, path, body: body, timeout: timeout)
        guard (200..<300).contains(status) else {
            throw .http(
                method: method.rawValue, path: Self.redacted(path), status: status,
                errcode: json["errcode"]?.stringValue, message: json["error"]?.stringValue)
        }
        return (json, bytes)
    }

    /// Sends one request and returns status and parsed body whatever the status (UIA answers 401 with a body).
    func raw(_ method: HTTPMethod, _ path: String, body: JSONValue?, timeout: TimeAmount) async throws(BenchError) -> (UInt, JSONValue) {
        try await rawWithSize(method, path, body: body, timeout: timeout).response
    }

    /// As `raw`, with the body's size.
    func rawWithSize(
        _ method: HTTPMethod,
        _ path: String,
        body: JSONValue?,
        timeout: TimeAmount
    ) async throws(BenchError) -> (response: (UInt, JSONValue), bytes: Int) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let accessToken { request.headers.add(name: "Authorization", value: "Bearer \(accessToken)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        }
        let bytes: ByteBuffer
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = response.status.code
            bytes = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw .transport(method: method.rawValue, path: Self.redacted(path), reason: String(describing: error))
        }
        if bytes.readableBytes == 0 { return ((status, .object([:])), 0) }
        do {
            return ((status, try JSONValue.parse(bytes.readableBytesView)), bytes.readableBytes)
        } catch {
            throw .malformedResponse(path: Self.redacted(path), reason: error.description)
        }
    }

    /// Registers `username` through the `m.login.dummy` interactive-auth flow: the first request opens a session
    /// (401), the second completes it.
    static func register(
        http: HTTPClient, baseURL: String, username: String, password: String
    ) async throws(BenchError) -> MatrixClient {
        let anonymous = MatrixClient(http: http, baseURL: baseURL)
        var body: JSONValue = ["username": .string(username), "password": .string(password), "inhibit_login": false]
        let (status, challenge) = try await anonymous.raw(.POST, "/_matrix/client/v3/register", body: body, timeout: .seconds(60))
        let result: JSONValue
        if status == 401 {
            guard let session = challenge["session"]?.stringValue else {
                throw .malformedResponse(path: "/_matrix/client/v3/register", reason: "401 without an interactive-auth session")
            }
            body["auth"] = ["type": "m.login.dummy", "session": .string(session)]
            result = try await anonymous.call(.POST, "/_matrix/client/v3/register", body: body)
        } else if (200..<300).contains(status) {
            result = challenge
        } else {
            throw .http(
                method: "POST", path: "/_matrix/client/v3/register", status: status,
                errcode: challenge["errcode"]?.stringValue, message: challenge["error"]?.stringValue)
        }
        guard let token = result["access_token"]?.stringValue, let userID = result["user_id"]?.stringValue else {
            throw .malformedResponse(path: "/_matrix/client/v3/register", reason: "no access_token or user_id")
        }
        return MatrixClient(http: http, baseURL: baseURL, accessToken: token, userID: userID)
    }

    /// Creates a private room inviting `invitees`; returns its ID.
    func createRoom(inviting invitees: [String] = [], name: String = "axon-bench", topic: String? = nil) async throws(BenchError) -> String {
        var body: JSONValue = ["preset": "private_chat", "name": .string(name), "invite": .array(invitees.map { .string($0) })]
        if let topic { body["topic"] = .string(topic) }
        let result = try await call(.POST, "/_matrix/client/v3/createRoom", body: body)
        guard let roomID = result["room_id"]?.stringValue else {
            throw .malformedResponse(path: "/_matrix/client/v3/createRoom", reason: "no room_id")
        }
        return roomID
    }

    func join(_ roomID: String) async throws(BenchError) {
        _ = try await call(.POST, "/_matrix/client/v3/rooms/\(Self.escape(roomID))/join", body: [:])
    }

    /// Sends one `m.room.message`; returns its event ID.
    func send(to roomID: String, txnID: String, content: JSONValue) async throws(BenchError) -> String {
        let path = "/_matrix/client/v3/rooms/\(Self.escape(roomID))/send/m.room.message/\(Self.escape(txnID))"
        let result = try await call(.PUT, path, body: content)
        guard let eventID = result["event_id"]?.stringValue else {
            throw .malformedResponse(path: path, reason: "no event_id")
        }
        return eventID
    }

    /// One `/sync` request; `timeoutMilliseconds` is the server's long-poll wait.
    func sync(since: String?, filter: String?, timeoutMilliseconds: Int) async throws(BenchError) -> JSONValue {
        try await sizedSync(since: since, filter: filter, timeoutMilliseconds: timeoutMilliseconds).json
    }

    /// One `/sync` request with the size of its answer; no filter means the server's default one.
    func sizedSync(since: String?, filter: String?, timeoutMilliseconds: Int) async throws(BenchError) -> (json: JSONValue, bytes: Int) {
        var path = "/_matrix/client/v3/sync?timeout=\(timeoutMilliseconds)"
        if let filter { path += "&filter=\(Self.escape(filter))" }
        if let since { path += "&since=\(Self.escape(since))" }
        return try await sizedCall(.GET, path, body: nil, timeout: .milliseconds(Int64(timeoutMilliseconds) + 120_000))
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters, for path segments and query values.
    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return result
    }

    /// Error messages keep the path but drop query strings (sync tokens and filters are noise).
    private static func redacted(_ path: String) -> String {
        String(path.prefix { $0 != "?" })
    }
}
