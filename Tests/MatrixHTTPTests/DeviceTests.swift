import HTTPTypes
import MatrixTypes
import Testing

/// `/devices`, `/devices/{deviceId}` and `/delete_devices`.
@Suite struct DeviceTests {
    @Test func listShowAndRename() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice", extra: ["initial_device_display_name": "phone"])
            let list = try await client.call(.get, "/_matrix/client/v3/devices", token: alice.token)
            let device = try #require(list.json["devices"]?[0])
            #expect(device["device_id"] == .string(alice.deviceID))
            #expect(device["display_name"] == "phone")
            #expect(device["last_seen_ip"] == "127.0.0.1")
            #expect(device["last_seen_ts"]?.integerValue != nil)
            let path = "/_matrix/client/v3/devices/\(alice.deviceID)"
            #expect(try await client.call(.put, path, ["display_name": "work phone"], token: alice.token).status == 200)
            #expect(try await client.call(.get, path, token: alice.token).json["display_name"] == "work phone")
            #expect(try await client.call(.put, path, [:], token: alice.token).status == 200, "no name: unchanged")
            let tooLong = try await client.call(.put, path, ["display_name": .string(String(repeating: "n", count: 101))], token: alice.token)
            #expect(tooLong.errcode == "M_INVALID_PARAM")
        }
    }

    @Test func unknownAndOtherUsersDevicesAreNotFound() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let bob = try await client.register("bob")
            // `JSONValue` is itself nil-literal convertible, so spell out the GET's absent body.
            for (method, body) in [(HTTPRequest.Method.get, JSONValue?.none), (.put, .some(["display_name": "mine"]))] {
                let reply = try await client.call(method, "/_matrix/client/v3/devices/\(bob.deviceID)", body, token: alice.token)
                #expect(reply.status == 404, "\(method): \(reply)")
                #expect(reply.errcode == "M_NOT_FOUND")
            }
            #expect(try await client.call(.get, "/_matrix/client/v3/devices/\(bob.deviceID)", token: bob.token).status == 200)
        }
    }

    @Test func deletingADeviceNeedsThePasswordAndRevokesItsTokens() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            let path = "/_matrix/client/v3/devices/\(other.deviceID)"
            let challenge = try await client.call(.delete, path, nil, token: alice.token)
            #expect(challenge.status == 401, "no body at all still starts auth: \(challenge)")
            let session = try #require(challenge.json["session"]?.stringValue)
            let done = try await client.call(.delete, path, ["auth": AccountClient.passwordAuth(alice, uiaSession: session)], token: alice.token)
            #expect(done.status == 200, "\(done)")
            #expect(try await client.whoami(other.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.call(.get, path, token: alice.token).status == 404)
            let reused = try await client.call(
                .delete, "/_matrix/client/v3/devices/\(alice.deviceID)", ["auth": ["session": .string(session)]], token: alice.token
            )
            #expect(reused.status == 403, "a session for one device cannot delete another: \(reused)")
        }
    }

    @Test func deleteDevicesRemovesSeveral() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let second = try await client.loggedIn(alice)
            let third = try await client.loggedIn(alice)
            let devices: JSONValue = [.string(second.deviceID), .string(third.deviceID), "NOSUCHDEVICE"]
            let challenge = try await client.call(.post, "/_matrix/client/v3/delete_devices", ["devices": devices], token: alice.token)
            let session = try #require(challenge.json["session"]?.stringValue)
            let done = try await client.call(
                .post, "/_matrix/client/v3/delete_devices", ["devices": [], "auth": AccountClient.passwordAuth(alice, uiaSession: session)], token: alice.token
            )
            #expect(done.status == 200)
            #expect(try await client.whoami(second.token).status == 200, "the devices of the latest request count, as in Synapse")
            let again = try await client.call(
                .post, "/_matrix/client/v3/delete_devices", ["devices": devices, "auth": AccountClient.passwordAuth(alice)], token: alice.token
            )
            #expect(again.status == 200)
            #expect(try await client.whoami(second.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.whoami(third.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.whoami(alice.token).status == 200)
        }
    }
}
