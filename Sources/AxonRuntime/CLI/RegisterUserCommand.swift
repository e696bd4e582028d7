import ArgumentParser
import AxonConfig
import Foundation

/// `axon register-user`: Synapse's `register_new_matrix_user`, with its flags, prompts and messages, so the
/// setup guide's commands work unchanged. `make install` also installs it under that name.
struct RegisterUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register-user",
        abstract: "Register a user (an admin, if asked) with the homeserver's registration_shared_secret, even when registration is closed."
    )

    static let defaultServerURL = "http://localhost:8008"

    @Option(name: [.customShort("u"), .customLong("user")], help: "Local part of the new user. Will prompt if omitted.")
    var user: String?

    @Flag(name: .customLong("exists-ok"), help: "Do not fail if user already exists.")
    var existsOK = false

    @Option(name: [.customShort("p"), .customLong("password")], help: "New password for user. Will prompt if this and --password-file are omitted.")
    var password: String?

    @Option(name: .customLong("password-file"), help: "File containing the new password for user (instead of --password).")
    var passwordFile: String?

    @Option(name: [.customShort("t"), .customLong("user_type")], help: "User type: support or bot.")
    var userType: String?

    @Flag(name: [.customShort("a"), .customLong("admin")], help: "Register new user as an admin. Will prompt if --no-admin is not set either.")
    var admin = false

    @Flag(name: .customLong("no-admin"), help: "Register new user as a regular user. Will prompt if --admin is not set either.")
    var noAdmin = false

    @Option(name: [.customShort("c"), .customLong("config")], help: "Path to server config file; repeat to merge. Used to read the shared secret.")
    var configPaths: [String] = []

    @Option(name: [.customShort("k"), .customLong("shared-secret")], help: "Shared secret as defined in server config file.")
    var sharedSecret: String?

    @Argument(help: "URL of the homeserver. By default, the first client listener in the config, else \(defaultServerURL).")
    var serverURL: String?

    func validate() throws {
        guard configPaths.isEmpty != (sharedSecret == nil) else { throw ValidationError("Give exactly one of -c/--config and -k/--shared-secret.") }
        if admin && noAdmin { throw ValidationError("--admin and --no-admin cannot be used together.") }
        if password != nil && passwordFile != nil { throw ValidationError("--password and --password-file cannot be used together.") }
    }

    func run() async throws {
        let config = try configPaths.isEmpty ? nil : ConfigLoader.load(paths: configPaths).config
        guard let secret = sharedSecret ?? config?.registration.registrationSharedSecret?.revealed else {
            Self.fail("No 'registration_shared_secret' or 'registration_shared_secret_path' defined in config.")
        }
        let password = try passwordFile.map { try String(contentsOfFile: $0, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) } ?? password
        let registration = RegisterUserClient.Registration(
            user: try user ?? Self.promptForUser(), password: try password ?? Self.promptForPassword(),
            admin: admin || noAdmin ? admin : Self.promptForAdmin(), userType: userType
        )
        try await RegisterUserClient(serverURL: serverURL ?? Self.serverURL(from: config), secret: secret, existsOK: existsOK).register(registration)
    }

    /// Synapse's choice: the first plain-HTTP listener serving `client`, on localhost.
    private static func serverURL(from config: HomeserverConfig?) -> String {
        guard let config else {
            printError("No server url or configuration file given. Defaulting to \(defaultServerURL).")
            return defaultServerURL
        }
        let listener = config.listeners.first { $0.type == .http && !$0.tls && $0.serves(.client) && $0.port != nil }
        guard let port = listener?.port else {
            printError("Unable to find a suitable HTTP listener in the configuration file. Trying \(defaultServerURL) as a last resort.")
            return defaultServerURL
        }
        return "http://localhost:\(port)"
    }

    private static func promptForUser() throws -> String {
        let fallback = ProcessInfo.processInfo.userName
        let answer = Prompt.line(fallback.isEmpty ? "New user localpart: " : "New user localpart [\(fallback)]: ") ?? ""
        let user = answer.isEmpty ? fallback : answer
        if user.isEmpty { fail("Invalid user name", toStandardError: false) }
        return user
    }

    private static func promptForPassword() throws -> String {
        let password = Prompt.secret("Password: ") ?? ""
        if password.isEmpty { fail("Password cannot be blank.", toStandardError: false) }
        if Prompt.secret("Confirm password: ") != password { fail("Passwords do not match", toStandardError: false) }
        return password
    }

    private static func promptForAdmin() -> Bool {
        ["y", "yes", "true"].contains(Prompt.line("Make admin [no]: ") ?? "")
    }

    static func fail(_ message: String, toStandardError: Bool = true) -> Never {
        if toStandardError { printError(message) } else { print(message) }
        Foundation.exit(1)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
