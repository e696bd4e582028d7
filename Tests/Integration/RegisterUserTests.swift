import Accounts
import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Creating accounts with the shared secret: `axon register-user`, Synapse's own `register_new_matrix_user`,
/// and the admin API's nonce rules across processes.
@Suite struct RegisterUserTests {
    static let password = "register-user-password-\(UUID().uuidString.prefix(8))"

    init() {
        TestSecrets.record(Self.password)
    }

    @Test func axonRegisterUserCreatesAnAdminFromTheConfig() async throws {
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        try await server.whileRunning {
            let run = try await CommandRun.run(CommandRun.axon, ["register-user", "-c", fixture.configPath, "-u", "Root", "-p", Self.password, "-a"])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("Sending registration request...\nSuccess!"), "\(run.output)")
            #expect(try await fixture.login("root", password: Self.password).status == 200)
            let passwordFile = fixture.directory.appendingPathComponent("password.txt")
            try "\(Self.password)\n".write(to: passwordFile, atomically: true, encoding: .utf8)
            let regular = try await CommandRun.run(
                CommandRun.axon, ["register-user", "-k", fixture.sharedSecret, "-u", "plain", "--password-file", passwordFile.path, "--no-admin", fixture.baseURL]
            )
            #expect(regular.status == 0, "\(regular.output)")
            #expect(try await fixture.login("plain", password: Self.password).status == 200, "the file's trailing newline is trimmed")
        }
        #expect(try await fixture.isAdmin("@root:accounts.test") == true)
        #expect(try await fixture.isAdmin("@plain:accounts.test") == false)
        #expect(!server.log.contains(Self.password) && !server.log.contains(fixture.sharedSecret))
    }

    @Test func axonRegisterUserPromptsForWhatIsMissing() async throws {
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        try await server.whileRunning {
            let run = try await CommandRun.run(CommandRun.axon, ["register-user", "-c", fixture.configPath], input: "prompted\n\(Self.password)\n\(Self.password)\nyes\n")
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("New user localpart"))
            #expect(run.output.contains("Make admin [no]: "))
            #expect(!run.output.contains(Self.password), "the password is never echoed back")
            let mismatch = try await CommandRun.run(CommandRun.axon, ["register-user", "-c", fixture.configPath, "-u", "other", "-a"], input: "one\ntwo\n")
            #expect(mismatch.status == 1)
            #expect(mismatch.output.contains("Passwords do not match"))
        }
        #expect(try await fixture.isAdmin("@prompted:accounts.test") == true)
    }

    @Test func aWrongSecretIsRefusedAndExistingUsersNeedExistsOK() async throws {
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        try await server.whileRunning {
            let wrong = try await CommandRun.run(CommandRun.axon, ["register-user", "-k", "not the secret", "-u", "eve", "-p", Self.password, "-a", fixture.baseURL])
            #expect(wrong.status == 1)
            #expect(wrong.output.contains("ERROR! Received 403 Forbidden\nHMAC incorrect"), "\(wrong.output)")
            let args = ["register-user", "-c", fixture.configPath, "-u", "dup", "-p", Self.password, "--no-admin"]
            #expect(try await CommandRun.run(CommandRun.axon, args).status == 0)
            let again = try await CommandRun.run(CommandRun.axon, args)
            #expect(again.status == 1)
            #expect(again.output.contains("User ID already taken."))
            let tolerated = try await CommandRun.run(CommandRun.axon, args + ["--exists-ok"])
            #expect(tolerated.status == 0)
            #expect(tolerated.output.contains("User already exists. Skipping."))
        }
        #expect(try await fixture.isAdmin("@eve:accounts.test") == nil)
    }

    @Test(.enabled(if: TestEnvironment.synapsePython != nil, "needs the Synapse venv (make venv)"))
    func synapsesRegisterNewMatrixUserCreatesAnAdmin() async throws {
        let script = URL(fileURLWithPath: try #require(TestEnvironment.synapsePython)).deletingLastPathComponent().appendingPathComponent("register_new_matrix_user")
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        try await server.whileRunning {
            let run = try await CommandRun.run(script, ["-c", fixture.configPath, "-u", "synapseadmin", "-p", Self.password, "-a"])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.output.contains("Success!"), "\(run.output)")
            #expect(try await fixture.login("synapseadmin", password: Self.password).status == 200)
            let bot = try await CommandRun.run(script, ["-k", fixture.sharedSecret, "-u", "bot1", "-p", Self.password, "--no-admin", "-t", "bot", fixture.baseURL])
            #expect(bot.status == 0, "the MAC covers user_type as Synapse computes it: \(bot.output)")
            let wrong = try await CommandRun.run(script, ["-k", "not the secret", "-u", "mallory", "-p", Self.password, "-a", fixture.baseURL])
            #expect(wrong.status == 1)
            #expect(wrong.output.contains("HMAC incorrect"), "\(wrong.output)")
            let existing = try await CommandRun.run(script, ["-c", fixture.configPath, "-u", "synapseadmin", "-p", Self.password, "-a", "--exists-ok"])
            #expect(existing.output.contains("User already exists. Skipping."), "\(existing.output)")
        }
        #expect(try await fixture.isAdmin("@synapseadmin:accounts.test") == true)
        #expect(try await fixture.isAdmin("@bot1:accounts.test") == false)
        #expect(try await fixture.isAdmin("@mallory:accounts.test") == nil)
    }

    @Test func aNonceIsUsedOnce() async throws {
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        try await server.whileRunning {
            let nonce = try await Self.nonce(fixture.baseURL)
            let first = try await Self.register(at: fixture.baseURL, nonce: nonce, username: "once", secret: fixture.sharedSecret)
            #expect(first.status == 200, "\(first.body)")
            let reused = try await Self.register(at: fixture.baseURL, nonce: nonce, username: "twice", secret: fixture.sharedSecret)
            #expect(reused.status == 400)
            #expect(reused.json?["error"] == "unrecognised nonce")
        }
    }

    @Test(.enabled(if: PostgresProcessDatabase.isAvailable, "needs AXON_TEST_POSTGRES (make test starts one)"))
    func aNonceFromOneProcessIsAcceptedByAnother() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            let first = try await AccountServerFixture.make(database: database.yaml)
            let second = try await AccountServerFixture.make(database: database.yaml, sharedSecret: first.sharedSecret, in: first.directory)
            let one = try await first.start()
            try await one.whileRunning {
                let two = try await second.start()
                try await two.whileRunning {
                    let nonce = try await Self.nonce(one.baseURL)
                    let reply = try await Self.register(at: two.baseURL, nonce: nonce, username: "crossprocess", secret: first.sharedSecret)
                    #expect(reply.status == 200, "\(reply.body)")
                    let reused = try await Self.register(at: one.baseURL, nonce: nonce, username: "again", secret: first.sharedSecret)
                    #expect(reused.json?["error"] == "unrecognised nonce", "the first process sees it used")
                }
            }
        }
    }

    static func nonce(_ baseURL: String) async throws -> String {
        try #require(try await TestHTTP.request("GET", baseURL + "/_synapse/admin/v1/register").json?["nonce"]?.stringValue)
    }

    static func register(at baseURL: String, nonce: String, username: String, secret: String) async throws -> TestHTTP.Reply {
        let mac = SharedSecretMAC.hex(secret: secret, nonce: nonce, username: username, password: password, admin: false, userType: nil)
        let body: JSONValue = ["nonce": .string(nonce), "username": .string(username), "password": .string(password), "mac": .string(mac)]
        let reply = try await TestHTTP.request("POST", baseURL + "/_synapse/admin/v1/register", body: String(decoding: body.encoded(), as: UTF8.self))
        if let token = reply.json?["access_token"]?.stringValue { TestSecrets.record(token) }
        return reply
    }
}
