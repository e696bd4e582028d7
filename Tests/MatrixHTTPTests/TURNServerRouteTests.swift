import Crypto
import Foundation
import HTTPTypes
import MatrixTypes
import Testing

/// `GET /voip/turnServer` through the real composition: what each configuration answers, who may ask, how often.
@Suite struct TURNServerRouteTests {
    static let turnKeys: [String: String] = [
        "turn_uris": "[\"turn:turn.axon.test?transport=udp\", \"turns:turn.axon.test:5349\"]",
        "turn_shared_secret": "\"route test turn secret\"",
        "turn_user_lifetime": "1d",
    ]

    static func registerGuest(_ client: AccountClient) async throws -> String {
        let reply = try await client.call(.post, "/_matrix/client/v3/register?kind=guest", [:])
        try #require(reply.status == 200, "\(reply)")
        return try #require(reply.json["access_token"]?.stringValue)
    }

    @Test func aSharedSecretGivesCredentialsTheTURNServerCanRecompute() async throws {
        try await AccountTestServer.run(Self.turnKeys) { client in
            let alice = try await client.register("turn-alice")
            let before = Int64(Date().timeIntervalSince1970)
            let reply = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token)
            let after = Int64(Date().timeIntervalSince1970)
            #expect(reply.status == 200, "\(reply)")
            #expect(reply.json["uris"] == ["turn:turn.axon.test?transport=udp", "turns:turn.axon.test:5349"])
            #expect(reply.json["ttl"] == 86_400)
            let username = try #require(reply.json["username"]?.stringValue)
            let expiry = try #require(Int64(username.prefix { $0 != ":" }))
            #expect(username == "\(expiry):\(alice.userID)")
            #expect((before + 86_400)...(after + 86_401) ~= expiry, "\(expiry)")
            // What coturn's `use-auth-secret` computes from the username it receives.
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data("route test turn secret".utf8)))
            #expect(reply.json["password"]?.stringValue == Data(mac).base64EncodedString())
            #expect(reply.json.objectValue?.count == 4, "\(reply)")
            let r0 = try await client.call(.get, "/_matrix/client/r0/voip/turnServer", token: alice.token)
            #expect(r0.status == 200 && r0.json["uris"] == reply.json["uris"], "\(r0)")
        }
    }

    @Test func staticCredentialsAreAnsweredAsConfigured() async throws {
        let settings = ["turn_uris": "[\"turn:turn.axon.test\"]", "turn_username": "turnuser", "turn_password": "\"static turn password\""]
        try await AccountTestServer.run(settings) { client in
            let alice = try await client.register("turn-static")
            let reply = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token)
            #expect(reply.status == 200)
            #expect(reply.json == ["username": "turnuser", "password": "static turn password", "ttl": 3600, "uris": ["turn:turn.axon.test"]], "\(reply)")
        }
    }

    @Test func withoutTURNTheAnswerIsEmpty() async throws {
        for settings in [[:], ["turn_shared_secret": "secret-without-uris"], ["turn_uris": "[\"turn:turn.axon.test\"]"]] {
            try await AccountTestServer.run(settings) { client in
                let alice = try await client.register("turn-none")
                let reply = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token)
                #expect(reply.status == 200 && reply.json == [:], "\(settings): \(reply)")
            }
        }
    }

    @Test func aTokenIsRequired() async throws {
        try await AccountTestServer.run(Self.turnKeys) { client in
            let reply = try await client.call(.get, "/_matrix/client/v3/voip/turnServer")
            #expect(reply.status == 401 && reply.errcode == "M_MISSING_TOKEN", "\(reply)")
        }
    }

    @Test func guestsGetCredentialsUnlessTurnAllowGuestsIsFalse() async throws {
        try await AccountTestServer.run(Self.turnKeys.merging(["allow_guest_access": "true"]) { $1 }) { client in
            let guest = try await Self.registerGuest(client)
            let reply = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: guest)
            #expect(reply.status == 200 && reply.json["username"] != nil, "\(reply)")
        }
        try await AccountTestServer.run(Self.turnKeys.merging(["allow_guest_access": "true", "turn_allow_guests": "false"]) { $1 }) { client in
            let guest = try await Self.registerGuest(client)
            let refused = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: guest)
            #expect(refused.status == 403 && refused.errcode == "M_GUEST_ACCESS_FORBIDDEN", "\(refused)")
            let alice = try await client.register("turn-member")
            let allowed = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token)
            #expect(allowed.status == 200 && allowed.json["username"] != nil, "registered users still get them: \(allowed)")
        }
    }

    @Test func requestsAreLimitedPerUserByRcVoip() async throws {
        try await AccountTestServer.run(Self.turnKeys.merging(["rc_voip": "{per_second: 0.001, burst_count: 2}"]) { $1 }) { client in
            let alice = try await client.register("turn-limited")
            let bob = try await client.register("turn-other")
            for _ in 0..<2 {
                #expect(try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token).status == 200)
            }
            let refused = try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: alice.token)
            #expect(refused.status == 429 && refused.errcode == "M_LIMIT_EXCEEDED", "\(refused)")
            #expect(try await client.call(.get, "/_matrix/client/v3/voip/turnServer", token: bob.token).status == 200, "buckets are per user")
        }
    }
}
