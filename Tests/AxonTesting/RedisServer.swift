import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A private `redis-server` on a loopback port, for tests that stop and start Redis under running processes.
public final class RedisServer: Sendable {
    public let port: Int
    private let directory: URL
    private let process = Mutex<ChildProcess?>(nil)

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    private static let executable = "/usr/bin/redis-server"

    public init() async throws {
        port = try await FreePort.next()
        directory = try TestEnvironment.temporaryDirectory("axon-redis")
        try await start()
    }

    deinit {
        process.withLock { $0 }?.signal(SIGKILL)
    }

    /// Starts the server (again) on the same port and waits until it accepts connections.
    public func start() async throws {
        let child = try ChildProcess(
            executable: Self.executable,
            arguments: ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no", "--dir", directory.path],
            environment: [:], output: .file(directory.appendingPathComponent("redis.log").path)
        )
        process.withLock { $0 = child }
        for _ in 0..<250 {
            if await FreePort.acceptsConnections(port) { return }
            guard child.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerProcess.ProcessFailure(description: "redis-server did not start on port \(port)")
    }

    /// Stops the server and waits for it to exit.
    public func stop() async {
        guard let child = process.withLock({ $0 }) else { return }
        child.signal(SIGTERM)
        _ = await child.waitForExit()
        process.withLock { $0 = nil }
    }
}
