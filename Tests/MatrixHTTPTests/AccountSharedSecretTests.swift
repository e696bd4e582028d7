import Accounts
import HTTPTypes
import MatrixTypes
import Testing

/// `/_synapse/admin/v1/register` over HTTP.
@Suite struct AccountSharedSecretTests {
    static func registration(_ client: AccountClient, username: String, password: String, admin: Bool, secret: String = AccountTestServer.sharedSecret)
        async throws -> (nonce: String, reply: AccountClient.Reply)
    {
        let nonce = try #require(try await client.call(.get, "/_synapse/admin/v1/register").json["nonce"]?.stringValue)
        let mac = SharedSecretMAC.hex(secret: secret, nonce: nonce, username: username, password: password, admin: admin, userType: nil)
        let body: JSONValue = [
            "nonce": .string(nonce), "username": .string(username), "password": .string(password), "mac": .string(mac),
            "admin": .bool(admin), "user_type": nil,
        ]
        return (nonce, try await client.call(.post, "/_synapse/admin/v1/register", body))
    }

    @Test func registersAnAdminEvenWithRegistrationClosed() async throws {
        try await AccountTestServer.run(["enable_registration": "false"]) { client in
            let (nonce, reply) = try await Self.registration(client, username: "Admin", password: "admin pw", admin: true)
            #expect(reply.status == 200, "\(reply)")
            #expect(reply.json["user_id"] == "@admin:axon.test")
            #expect(reply.json["home_server"] == "axon.test")
            let token = try #require(reply.json["access_token"]?.stringValue)
            #expect(try await client.whoami(token).json["user_id"] == "@admin:axon.test")
            let reused = try await client.call(
                .post, "/_synapse/admin/v1/register", ["nonce": .string(nonce), "username": "again", "password": "pw", "mac": "00"]
            )
            #expect(reused.status == 400)
            #expect(reused.json["error"] == "unrecognised nonce")
            let taken = try await Self.registration(client, username: "admin", password: "pw", admin: false).reply
            #expect(taken.errcode == "M_USER_IN_USE")
        }
    }

    @Test func aWrongSecretIsRefused() async throws {
        try await AccountTestServer.run { client in
            let reply = try await Self.registration(client, username: "mallory", password: "pw", admin: true, secret: "wrong").reply
            #expect(reply.status == 403)
            #expect(reply.json["error"] == "HMAC incorrect")
        }
    }

    @Test func withoutASecretItIsDisabled() async throws {
        try await AccountTestServer.run(["registration_shared_secret": "null"]) { client in
            let reply = try await Self.registration(client, username: "x", password: "pw", admin: false).reply
            #expect(reply.status == 400)
            #expect(reply.json["error"] == "Shared secret registration is not enabled")
        }
    }
}
