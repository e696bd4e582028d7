import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// `/admin/whois`: a user may see their own devices, a server admin anyone's, and only local users are known.
@Suite struct WhoisTests {
    typealias Fixture = AccountServicesFixture

    @Test func adminsSeeAnyLocalUsersDevicesAndOthersOnlyTheirOwn() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let admin = try await requester(services, "root", admin: true)
            let alice = try await requester(services, "alice", admin: false)
            let bob = try await requester(services, "bob", admin: false)

            let seenByAdmin = try await services.devices.whois(alice.userID, requester: admin)
            #expect(seenByAdmin.map(\.deviceID) == [alice.deviceID])
            #expect(seenByAdmin.first?.lastSeenTimestamp != nil)
            #expect(try await services.devices.whois(alice.userID, requester: alice).map(\.deviceID) == [alice.deviceID])
            await #expect(throws: DeviceError.notServerAdmin) { try await services.devices.whois(alice.userID, requester: bob) }
            await #expect(throws: DeviceError.notLocalUser) {
                try await services.devices.whois(try UserID("@alice:elsewhere.example"), requester: admin)
            }
            await #expect(throws: DeviceError.notServerAdmin, "a non-admin learns nothing about remote users either") {
                try await services.devices.whois(try UserID("@alice:elsewhere.example"), requester: bob)
            }
        }
    }

    private func requester(_ services: AccountServices, _ username: String, admin: Bool) async throws -> Requester {
        let nonce = try await services.sharedSecret.newNonce()
        let result = try await services.sharedSecret.register(
            Fixture.sharedSecretRequest(nonce: nonce, username: username, password: "pw", admin: admin)
        )
        let token = try #require(result.session?.accessToken)
        return try #require(try await services.tokens.requester(forAccessToken: token))
    }
}
