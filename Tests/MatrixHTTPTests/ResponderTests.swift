import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import Testing

/// The responder end to end over real HTTP, with routes made for the purpose.
@Suite struct ResponderTests {
    struct Failure: Error {}

    static let echoShape = RequestShape(
        query: [QueryField("limit", .integer(1...100), example: "10")],
        body: .jsonObject([
            BodyField("name", .string, required: true, example: "x"),
            BodyField("count", .integer, required: false, example: 1),
        ])
    )

    static func registry(limiter: RateLimiter? = nil) -> RouteRegistry {
        RouteRegistry([
            Route(.post, "/echo/{thing}", resource: .client, role: .main, shape: echoShape) { request in
                .json(["thing": .string(request.pathParameter("thing")), "body": request.body])
            },
            Route(.get, "/limited", resource: .client, role: .main, rateLimiter: limiter) { _ in .json([:]) },
            Route(.get, "/fails", resource: .client, role: .main) { _ in throw Failure() },
            Route(.get, "/reader", resource: .client, role: .clientReader) { _ in .json([:]) },
            Route(.get, "/federation", resource: .federation, role: .main) { _ in .json([:]) },
        ])
    }

    func withServer(
        _ registry: RouteRegistry, role: ProcessRole? = nil, resources: [RouteResource] = [.client],
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let responder = MatrixResponder(
            registry: registry, served: ServedRoutes(listenerResources: resources, role: role),
            limits: BodyLimits(json: 1024, upload: 4096), trustForwardedFor: false, logger: Logger(label: "test")
        )
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(response.body.readableBytesView)
    }

    @Test func validRequestReachesTheHandlerWithDecodedParameters() async throws {
        try await withServer(Self.registry()) { client in
            let response = try await client.execute(
                uri: "/echo/a%2Fb?limit=5", method: .post, body: ByteBuffer(string: #"{"name":"n","extra":[1]}"#)
            )
            #expect(response.status == .ok)
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            let body = try Self.json(response)
            #expect(body["thing"] == "a/b")
            #expect(body["body"]?["name"] == "n")
        }
    }

    @Test(arguments: [
        ("not json", 400, "M_NOT_JSON"),
        ("[1,2]", 400, "M_BAD_JSON"),
        (#"{"count":1}"#, 400, "M_MISSING_PARAM"),
        (#"{"name":5}"#, 400, "M_BAD_JSON"),
        (#"{"name":"n","count":"1"}"#, 400, "M_BAD_JSON"),
    ])
    func badBodiesGetTheSpecErrors(body: String, status: Int, errcode: String) async throws {
        try await withServer(Self.registry()) { client in
            let response = try await client.execute(uri: "/echo/x", method: .post, body: ByteBuffer(string: body))
            #expect(response.status.code == status)
            #expect(try Self.json(response)["errcode"]?.stringValue == errcode)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withServer(Self.registry()) { client in
            let big = #"{"name":""# + String(repeating: "a", count: 2000) + #""}"#
            let response = try await client.execute(uri: "/echo/x", method: .post, body: ByteBuffer(string: big))
            #expect(response.status.code == 413)
            #expect(try Self.json(response)["errcode"] == "M_TOO_LARGE")
        }
    }

    @Test func unknownPathsMethodsAndQueryValues() async throws {
        try await withServer(Self.registry()) { client in
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status.code == 404)
            #expect(try Self.json(missing)["errcode"] == "M_UNRECOGNIZED")
            let wrongMethod = try await client.execute(uri: "/echo/x", method: .delete)
            #expect(wrongMethod.status.code == 405)
            #expect(try Self.json(wrongMethod)["errcode"] == "M_UNRECOGNIZED")
            let badQuery = try await client.execute(uri: "/echo/x?limit=lots", method: .post, body: ByteBuffer(string: #"{"name":"n"}"#))
            #expect(badQuery.status.code == 400)
            #expect(try Self.json(badQuery)["errcode"] == "M_INVALID_PARAM")
        }
    }

    @Test func internalFailuresAreGeneric500s() async throws {
        try await withServer(Self.registry()) { client in
            let response = try await client.execute(uri: "/fails", method: .get)
            #expect(response.status.code == 500)
            let body = try Self.json(response)
            #expect(body == ["errcode": "M_UNKNOWN", "error": "Internal server error"])
        }
    }

    @Test func optionsAnswersCORSPreflightForAnyPath() async throws {
        try await withServer(Self.registry()) { client in
            let response = try await client.execute(uri: "/anything/at/all", method: .options)
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowMethods]?.contains("PUT") == true)
            #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
        }
    }

    @Test func rateLimitedRequestsCarryRetryAfter() async throws {
        let limiter = RateLimiter(perSecond: 0.001, burstCount: 2)
        try await withServer(Self.registry(limiter: limiter)) { client in
            for _ in 0..<2 {
                #expect(try await client.execute(uri: "/limited", method: .get).status == .ok)
            }
            let limited = try await client.execute(uri: "/limited", method: .get)
            #expect(limited.status.code == 429)
            let body = try Self.json(limited)
            #expect(body["errcode"] == "M_LIMIT_EXCEEDED")
            #expect((body["retry_after_ms"]?.integerValue ?? 0) > 0)
        }
    }

    @Test func workersRefuseOtherRolesRoutesClearly() async throws {
        try await withServer(Self.registry(), role: .clientReader) { client in
            #expect(try await client.execute(uri: "/reader", method: .get).status == .ok)
            let other = try await client.execute(uri: "/echo/x", method: .post, body: ByteBuffer(string: #"{"name":"n"}"#))
            #expect(other.status.code == 404)
            let body = try Self.json(other)
            #expect(body["errcode"] == "M_UNRECOGNIZED")
            #expect(body["error"]?.stringValue?.contains("axon") == true)
        }
    }

    @Test func listenersServeOnlyTheirResources() async throws {
        try await withServer(Self.registry(), resources: [.client]) { client in
            let federation = try await client.execute(uri: "/federation", method: .get)
            #expect(federation.status.code == 404)
        }
        try await withServer(Self.registry(), resources: [.federation]) { client in
            let federation = try await client.execute(uri: "/federation", method: .get)
            #expect(federation.status == .ok)
            let reader = try await client.execute(uri: "/reader", method: .get)
            #expect(reader.status.code == 404)
        }
    }
}
