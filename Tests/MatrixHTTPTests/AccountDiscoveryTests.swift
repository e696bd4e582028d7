import HTTPTypes
import HummingbirdTesting
import MatrixTypes
import NIOCore
import Testing

/// What clients ask at first contact: capabilities, well-known, versions, third-party protocols.
@Suite struct AccountDiscoveryTests {
    @Test func capabilities() async throws {
        try await AccountTestServer.run(["default_room_version": "\"11\""]) { client in
            let alice = try await client.register("alice")
            let reply = try await client.call(.get, "/_matrix/client/v3/capabilities", token: alice.token)
            let capabilities = try #require(reply.json["capabilities"])
            #expect(capabilities["m.change_password"] == ["enabled": true])
            #expect(capabilities["m.set_displayname"] == ["enabled": true])
            #expect(capabilities["m.set_avatar_url"] == ["enabled": true])
            #expect(capabilities["m.3pid_changes"] == ["enabled": false])
            #expect(capabilities["m.room_versions"]?["default"] == "11")
            let available = try #require(capabilities["m.room_versions"]?["available"]?.objectValue)
            #expect(available == JSONObject(uniqueKeysWithValues: (1...12).map { (String($0), JSONValue.string("stable")) }))
        }
    }

    @Test func capabilitiesDefaultToRoomVersion12() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let reply = try await client.call(.get, "/_matrix/client/r0/capabilities", token: alice.token)
            #expect(reply.json["capabilities"]?["m.room_versions"]?["default"] == "12")
        }
    }

    @Test func wellKnownIsServedOnlyWhenConfigured() async throws {
        try await AccountTestServer.run { client in
            let clientWellKnown = try await client.call(.get, "/.well-known/matrix/client")
            #expect(clientWellKnown.status == 404)
            #expect(clientWellKnown.errcode == "M_NOT_FOUND")
            let server = try await client.client.execute(uri: "/.well-known/matrix/server", method: .get)
            #expect(server.status == .notFound)
            #expect(String(buffer: server.body) == "404. Is anything ever truly *well* known?\n")
        }
        try await AccountTestServer.run(["public_baseurl": "https://matrix.axon.test", "serve_server_wellknown": "true"]) { client in
            let clientWellKnown = try await client.call(.get, "/.well-known/matrix/client")
            #expect(clientWellKnown.json == ["m.homeserver": ["base_url": "https://matrix.axon.test/"]])
            let server = try await client.call(.get, "/.well-known/matrix/server")
            #expect(server.json == ["m.server": "axon.test:443"])
        }
    }

    @Test func versionsListOnlyWhatIsBuilt() async throws {
        try await AccountTestServer.run { client in
            let versions = try await client.call(.get, "/_matrix/client/versions").json["versions"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(versions.contains("v1.2"), "is_guest in whoami is served")
            #expect(!versions.contains("v1.11"), "authenticated media is not")
        }
    }

    @Test func thirdPartyProtocolsAreEmptyAndAuthMetadataIsUnrecognized() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            #expect(try await client.call(.get, "/_matrix/client/v3/thirdparty/protocols", token: alice.token).json == [:])
            #expect(try await client.call(.get, "/_matrix/client/v3/thirdparty/protocols").errcode == "M_MISSING_TOKEN")
            let metadata = try await client.call(.get, "/_matrix/client/v1/auth_metadata")
            #expect(metadata.status == 404)
            #expect(metadata.errcode == "M_UNRECOGNIZED", "no OAuth server: clients fall back to /login")
        }
    }
}
