import Accounts
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import Testing

/// Routes whose token is optional (profile lookups): without one the handler runs anonymously, rate limited per
/// address; a token that is sent must be valid, as Synapse's `get_optional_user_by_req`.
@Suite struct OptionalTokenTests {
    struct OneToken: AccessTokenResolver {
        func requester(forAccessToken token: String) async throws -> Requester? {
            guard token == "valid" else { return nil }
            return Requester(userID: try UserID("@alice:axon.test"), deviceID: "DEV", isGuest: false, accessTokenID: 1)
        }
    }

    func withServer(limiter: RateLimiter? = nil, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let registry = RouteRegistry([
            Route(.get, "/who", resource: .client, role: .main, rateLimiter: limiter, optionalTokenHandler: { _, requester in
                .json(["user_id": requester.map { .string($0.userID.rawValue) } ?? .null])
            })
        ])
        let responder = MatrixResponder(
            registry: registry, served: ServedRoutes(listenerResources: [.client], role: nil),
            limits: BodyLimits(json: 1024, upload: 4096), trustForwardedFor: false, accessTokens: OneToken(), logger: Logger(label: "test")
        )
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(response.body.readableBytesView)
    }

    @Test func noTokenIsAnonymousAndASentTokenMustBeValid() async throws {
        try await withServer { client in
            let anonymous = try await client.execute(uri: "/who", method: .get)
            #expect(anonymous.status == .ok)
            #expect(try Self.json(anonymous)["user_id"] == .null)
            let valid = try await client.execute(uri: "/who", method: .get, headers: [.authorization: "Bearer valid"])
            #expect(try Self.json(valid)["user_id"] == "@alice:axon.test")
            let inQuery = try await client.execute(uri: "/who?access_token=valid", method: .get)
            #expect(try Self.json(inQuery)["user_id"] == "@alice:axon.test")
            let unknown = try await client.execute(uri: "/who", method: .get, headers: [.authorization: "Bearer stale"])
            #expect(unknown.status == .unauthorized)
            #expect(try Self.json(unknown)["errcode"] == "M_UNKNOWN_TOKEN")
            let malformed = try await client.execute(uri: "/who", method: .get, headers: [.authorization: "Basic abc"])
            #expect(malformed.status == .unauthorized)
            #expect(try Self.json(malformed)["errcode"] == "M_MISSING_TOKEN")
        }
    }

    @Test func anonymousRequestsAreLimitedPerAddressAndAuthenticatedOnesPerUser() async throws {
        try await withServer(limiter: RateLimiter(perSecond: 0, burstCount: 1)) { client in
            let first = try await client.execute(uri: "/who", method: .get)
            let second = try await client.execute(uri: "/who", method: .get)
            let authenticated = try await client.execute(uri: "/who", method: .get, headers: [.authorization: "Bearer valid"])
            #expect(first.status == .ok && second.status == .tooManyRequests && authenticated.status == .ok)
        }
    }
}
