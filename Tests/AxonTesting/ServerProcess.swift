import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real Axon executable started by a test, with its output in the test log directory.
public final class ServerProcess: Sendable {
    public let child: ChildProcess
    public let logFile: URL
    public let baseURL: String

    /// Starts `executable` with `arguments`; `baseURL` is where its HTTP listener will be.
    /// A name without `/` is one of our executables; an absolute path is any other program.
    public init(
        executable: String, arguments: [String], baseURL: String, environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws {
        let path = Self.executablePath(executable)
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let logFile = TestEnvironment.logDirectory.appendingPathComponent("\((path as NSString).lastPathComponent)-\(UUID().uuidString.prefix(8)).log")
        self.child = try ChildProcess(
            executable: path, arguments: arguments, environment: env, currentDirectory: currentDirectory?.path, output: .file(logFile.path)
        )
        self.logFile = logFile
        self.baseURL = baseURL
    }

    public var log: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Waits until `/health` answers, failing early if the process exits.
    public func waitUntilHealthy(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = child.exitStatus {
                throw ProcessFailure(description: "exited with \(status) before serving:\n\(log)")
            }
            if let response = try? await HTTPClient.shared.get(url: baseURL + "/health").get(), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProcessFailure(description: "not healthy after \(timeout):\n\(log)")
    }

    /// Sends SIGTERM and waits for the process to finish; SIGKILL after `grace`.
    public func stop(grace: Duration = .seconds(10)) async {
        guard child.isRunning else { return }
        child.signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while child.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        child.signal(SIGKILL)
        _ = await child.waitForExit()
    }

    /// Runs an executable to completion (in `currentDirectory`, else the runner's) and returns its exit status and
    /// combined output.
    public static func runToCompletion(
        _ executable: String, _ arguments: [String], currentDirectory: URL? = nil
    ) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(executablePath(executable), arguments, currentDirectory: currentDirectory?.path)
    }

    private static func executablePath(_ name: String) -> String {
        name.hasPrefix("/") ? name : TestEnvironment.binaryDirectory.appendingPathComponent(name).path
    }

    /// Starts the server, runs `body`, and stops the server whether or not `body` throws.
    public func whileRunning<T>(_ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    public struct ProcessFailure: Error, CustomStringConvertible {
        public let description: String
    }
}
