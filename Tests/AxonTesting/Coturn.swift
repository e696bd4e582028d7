import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private coturn `turnserver` on a loopback port with the TURN REST API (`use-auth-secret`): no TLS, no CLI, its
/// database, log and pid file in a temporary directory, loopback peers allowed so relayed traffic stays on this
/// machine. `allocate` runs `turnutils_uclient` against it.
public final class Coturn: Sendable {
    public static let server = "/usr/bin/turnserver"
    public static let client = "/usr/bin/turnutils_uclient"
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: server) && FileManager.default.isExecutableFile(atPath: client)
    }

    public let port: Int
    public let realm: String
    private let process: ChildProcess
    private let log: URL

    /// Starts the server and waits until it accepts connections on `port` (it listens on TCP beside UDP).
    public init(sharedSecret: String, realm: String = "axon.test") async throws {
        port = try await FreePort.next()
        self.realm = realm
        let directory = try TestEnvironment.temporaryDirectory("coturn")
        log = TestEnvironment.logDirectory.appendingPathComponent("turnserver-\(port).log")
        process = try ChildProcess(
            executable: Self.server,
            arguments: [
                "-n", "--no-cli", "--use-auth-secret", "--static-auth-secret=\(sharedSecret)", "--realm=\(realm)",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=\(port)", "--allow-loopback-peers",
                "--no-tls", "--no-dtls", "--userdb=\(directory.path)/turndb", "--pidfile=\(directory.path)/turnserver.pid",
                "--log-file=\(log.path)", "--simple-log", "--no-stdout-log",
            ],
            environment: [:], currentDirectory: directory.path, output: .file(directory.appendingPathComponent("stdout").path)
        )
        for _ in 0..<250 {
            if await FreePort.acceptsConnections(port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        throw ServerProcess.ProcessFailure(description: "turnserver did not start on port \(port): \(logText)")
    }

    deinit {
        process.signal(SIGKILL)
    }

    /// What the server has logged so far.
    public var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// One client-to-client allocation (`-y`) with the given credentials, sending one message: exit status 0 when the
    /// server allocated relays and the message came back through them.
    public func allocate(username: String, password: String) async throws -> (status: Int32, output: String) {
        // A bound in case the server never answers; a successful run takes a few seconds.
        try await ChildProcess.run(
            "/usr/bin/timeout", ["60", Self.client, "-y", "-n", "1", "-m", "1", "-u", username, "-w", password, "-p", "\(port)", "127.0.0.1"],
            environment: [:]
        )
    }
}
