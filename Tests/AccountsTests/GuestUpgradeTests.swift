import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// Guest accounts in storage: the guest flag on the account and its tokens, and the upgrade to a full account
/// (`POST /register` with `guest_access_token`), which keeps the user ID and revokes the guest's tokens.
@Suite struct GuestUpgradeTests {
    typealias Fixture = AccountServicesFixture

    @Test func anUpgradedGuestKeepsItsUserIDAndLosesItsGuestTokens() async throws {
        try await withEachDatabase { database in
            let services = Self.services(database)
            let guest = try await services.registration.registerGuest(initialDeviceDisplayName: nil, address: "127.0.0.1")
            let guestToken = try #require(guest.session?.accessToken)
            #expect(try await services.tokens.requester(forAccessToken: guestToken)?.isGuest == true)

            let upgraded = try await services.registration.register(
                Self.submission(guest.userID.localpart, guestToken: guestToken), address: "127.0.0.1"
            )
            #expect(upgraded.userID == guest.userID)
            let token = try #require(upgraded.session?.accessToken)
            let requester = try #require(try await services.tokens.requester(forAccessToken: token))
            #expect(requester.userID == guest.userID && !requester.isGuest)
            #expect(try await services.tokens.requester(forAccessToken: guestToken) == nil, "the guest token is revoked")

            let login = try await services.login.logIn(
                ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(guest.userID.localpart)], "password": "upgraded"],
                address: "127.0.0.1"
            )
            #expect(login.userID == guest.userID)
            await #expect(throws: RegistrationError.guestTokenUnknown, "an upgrade happens once") {
                try await services.registration.register(Self.submission(guest.userID.localpart, guestToken: guestToken), address: "127.0.0.1")
            }
        }
    }

    @Test func onlyTheGuestsOwnTokenUpgradesIt() async throws {
        try await withEachDatabase { database in
            let services = Self.services(database)
            let guest = try await services.registration.registerGuest(initialDeviceDisplayName: nil, address: "127.0.0.1")
            let otherGuest = try await services.registration.registerGuest(initialDeviceDisplayName: nil, address: "127.0.0.1")
            let user = try await services.registration.register(
                UIASubmission(body: ["username": "alice", "password": "pw", "auth": ["type": "m.login.dummy"]], passwordField: "password"),
                address: "127.0.0.1"
            )
            let localpart = guest.userID.localpart
            for wrong in [otherGuest.session?.accessToken, user.session?.accessToken] {
                await #expect(throws: RegistrationError.guestCredentialsInvalid) {
                    try await services.registration.register(Self.submission(localpart, guestToken: try #require(wrong)), address: "127.0.0.1")
                }
            }
            await #expect(throws: RegistrationError.guestCredentialsInvalid, "a full account is not upgraded") {
                try await services.registration.register(
                    Self.submission("alice", guestToken: try #require(user.session?.accessToken)), address: "127.0.0.1"
                )
            }
            await #expect(throws: RegistrationError.userInUse, "without its token a guest's name is taken") {
                try await services.registration.register(
                    UIASubmission(body: ["username": .string(localpart), "password": "pw", "auth": ["type": "m.login.dummy"]], passwordField: "password"),
                    address: "127.0.0.1"
                )
            }
            #expect(try await services.tokens.requester(forAccessToken: try #require(guest.session?.accessToken))?.isGuest == true)
        }
    }

    private static func submission(_ localpart: String, guestToken: String) -> UIASubmission {
        UIASubmission(
            body: [
                "username": .string(localpart), "password": "upgraded", "guest_access_token": .string(guestToken),
                "auth": ["type": "m.login.dummy"],
            ],
            passwordField: "password"
        )
    }

    private static func services(_ database: any Database) -> AccountServices {
        AccountServices(
            database: database,
            settings: AccountSettings(
                serverName: Fixture.serverName, registrationEnabled: true, guestAccessAllowed: true, passwordCost: PasswordCost(bcryptRounds: 4)
            ),
            limits: AccountLimits(
                registration: Fixture.NoLimit(), loginAccount: Fixture.NoLimit(), loginFailures: Fixture.NoLimit(),
                reauthenticationFailures: Fixture.NoLimit()
            ),
            tokenCache: AccessTokenCache(capacity: 1_000)
        )
    }
}
