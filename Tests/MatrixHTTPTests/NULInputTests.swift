import Accounts
import AxonTesting
import HTTPTypes
import MatrixTypes
import Storage
import Testing

/// A NUL can never be part of an identifier, user name, password, display name or parameter: each is a 400
/// with the spec's error, not a 500, and never reaches PostgreSQL, which would cut the text short at it.
@Suite struct NULInputTests {
    static func expectRefused(_ reply: AccountClient.Reply, _ errcode: String, _ comment: Comment) {
        #expect(reply.status == 400, comment)
        #expect(reply.errcode == errcode, comment)
    }

    @Test func loginFields() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            Self.expectRefused(try await client.login("alice\u{0}x", password: alice.password), "M_INVALID_PARAM", "user")
            Self.expectRefused(try await client.login("@alice:axon.test\u{0}x", password: alice.password), "M_INVALID_PARAM", "user ID")
            Self.expectRefused(try await client.login("alice", password: alice.password + "\u{0}"), "M_INVALID_PARAM", "password")
            Self.expectRefused(try await client.login("alice", password: alice.password, deviceID: "DEV\u{0}ICE"), "M_INVALID_PARAM", "device_id")
            let named = try await client.call(
                .post, "/_matrix/client/v3/login",
                [
                    "type": "m.login.password", "identifier": ["type": "m.id.user", "user": "alice"], "password": .string(alice.password),
                    "initial_device_display_name": "phone\u{0}",
                ]
            )
            Self.expectRefused(named, "M_INVALID_PARAM", "initial_device_display_name")
            let devices = try await client.call(.get, "/_matrix/client/v3/devices", token: alice.token)
            #expect(devices.json["devices"]?.arrayValue?.count == 1, "no device was created")
        }
    }

    @Test func registrationFields() async throws {
        try await AccountTestServer.run { client in
            Self.expectRefused(
                try await client.call(.post, "/_matrix/client/v3/register", ["username": "bo\u{0}b", "password": "pw"]), "M_INVALID_USERNAME", "username"
            )
            Self.expectRefused(
                try await client.call(.post, "/_matrix/client/v3/register", ["username": "bob", "password": "p\u{0}w", "auth": ["type": "m.login.dummy"]]),
                "M_INVALID_PARAM", "password"
            )
            Self.expectRefused(
                try await client.call(
                    .post, "/_matrix/client/v3/register", ["username": "bob", "password": "pw", "device_id": "D\u{0}", "auth": ["type": "m.login.dummy"]]
                ),
                "M_INVALID_PARAM", "device_id"
            )
            #expect(try await client.database.read { try $0.queryValue("SELECT count(*) FROM users") as Int } == 0, "no account without its login")
            Self.expectRefused(
                try await client.call(.post, "/_matrix/client/v3/register", ["auth": ["type": "m.login.dummy", "session": "abc\u{0}def"]]), "M_UNKNOWN",
                "session"
            )
            Self.expectRefused(try await client.call(.get, "/_matrix/client/v3/register/available?username=b%00ob"), "M_INVALID_PARAM", "query")
        }
    }

    @Test func deviceNamesPathsAndQueries() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let path = "/_matrix/client/v3/devices/\(alice.deviceID)"
            Self.expectRefused(try await client.call(.put, path, ["display_name": "lap\u{0}top"], token: alice.token), "M_INVALID_PARAM", "display_name")
            Self.expectRefused(try await client.call(.get, "/_matrix/client/v3/devices/A%00B", token: alice.token), "M_INVALID_PARAM", "path")
            Self.expectRefused(try await client.call(.get, "/_matrix/client/v3/account/whoami?x=%00", token: alice.token), "M_INVALID_PARAM", "query value")
            Self.expectRefused(try await client.call(.get, "/_matrix/client/v3/account/whoami?x%00=1", token: alice.token), "M_INVALID_PARAM", "query name")
            // PostgreSQL would read the ID only up to the NUL, and delete the device named by what precedes it.
            let deleteMany = try await client.call(
                .post, "/_matrix/client/v3/delete_devices", ["devices": [.string(alice.deviceID + "\u{0}x")], "auth": AccountClient.passwordAuth(alice)],
                token: alice.token
            )
            Self.expectRefused(deleteMany, "M_INVALID_PARAM", "devices")
            #expect(try await client.whoami(alice.token).status == 200, "the device and its token are still there")
        }
    }

    /// A nonce with a NUL is unknown. PostgreSQL would otherwise read only the part before the NUL, match a real
    /// nonce, and accept a MAC made over the longer text.
    @Test func sharedSecretNonce() async throws {
        try await AccountTestServer.run { client in
            let issued = try #require(try await client.call(.get, "/_synapse/admin/v1/register").json["nonce"]?.stringValue)
            let nonce = issued + "\u{0}x"
            let mac = SharedSecretMAC.hex(secret: AccountTestServer.sharedSecret, nonce: nonce, username: "sneaky", password: "pw", admin: true, userType: nil)
            let reply = try await client.call(
                .post, "/_synapse/admin/v1/register",
                ["nonce": .string(nonce), "username": "sneaky", "password": "pw", "mac": .string(mac), "admin": true]
            )
            #expect(reply.status == 400, "\(reply)")
            #expect(reply.json["error"] == "unrecognised nonce")
        }
    }

    /// Types and state keys become PostgreSQL text; a NUL in one is refused before any room is written.
    @Test func createRoomInitialState() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            for entry: JSONValue in [
                ["type": "org.example\u{0}x", "state_key": "", "content": [:]],
                ["type": "org.example", "state_key": "a\u{0}b", "content": [:]],
            ] {
                let reply = try await client.call(.post, "/_matrix/client/v3/createRoom", ["initial_state": [entry]], token: alice.token)
                #expect(reply.status == 400 && reply.errcode != nil, "\(reply)")
            }
            let rooms = try await client.call(.get, "/_matrix/client/v3/joined_rooms", token: alice.token)
            #expect(rooms.json["joined_rooms"] == [], "no room was created")
        }
    }
}

