import Testing

@testable import AxonConfig

@Suite("Registration settings")
struct RegistrationTests {
    @Test("open registration without verification refuses to load, naming the fix as Synapse does")
    func openRegistrationRefused() {
        let found = errors(minimalYAML + "enable_registration: true\n")
        #expect(found.count == 1)
        #expect(found.first?.path == "enable_registration")
        #expect(found.first?.message == RegistrationConfig.openRegistrationError)
        #expect(found.first?.message.contains("setting the `enable_registration_without_verification` config option to `true`") == true)
    }

    @Test("open registration loads when the admin opts out of verification or requires tokens")
    func openRegistrationAllowed() throws {
        let optedOut = try load(minimalYAML + "enable_registration: true\nenable_registration_without_verification: true\n")
        #expect(optedOut.config.registration.enableRegistration)
        #expect(optedOut.config.registration.enableRegistrationWithoutVerification)
        let tokens = try load(minimalYAML + "enable_registration: true\nregistration_requires_token: true\n")
        #expect(tokens.config.registration.registrationRequiresToken)
    }

    @Test("the legacy disable_registration flag is honoured")
    func legacyDisable() throws {
        #expect(try !load(minimalYAML + "enable_registration: true\ndisable_registration: true\n").config.registration.enableRegistration)
    }

    @Test("registration_shared_secret_path is read at load time and trimmed")
    func sharedSecretFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("secret.txt", "  from-a-file \n")
        let config = try load(minimalYAML + "registration_shared_secret_path: \(file)\n").config
        #expect(config.registration.registrationSharedSecret?.revealed == "from-a-file")
        let inline = try load(minimalYAML + "registration_shared_secret: inline-secret\n").config
        #expect(inline.registration.registrationSharedSecret == Secret("inline-secret"))
    }

    @Test("registration settings read their values")
    func values() throws {
        let registration = try load(
            minimalYAML + """
                allow_guest_access: true
                bcrypt_rounds: 4
                auto_join_rooms: ["#welcome:example.org"]
                """
        ).config.registration
        #expect(registration.allowGuestAccess && registration.bcryptRounds == 4 && registration.autoJoinRooms == ["#welcome:example.org"])
    }
}
