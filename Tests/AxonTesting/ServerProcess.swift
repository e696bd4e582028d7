import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A real Axon executable started by a test, with its output in the test log directory.
public final class ServerProcess: Sendable {
    public let process: Process
    public let logFile: URL
    public let baseURL: String

    /// Starts `executable` with `arguments`; `baseURL` is where its HTTP listener will be.
    /// A name without `/` is one of our executables; an absolute path is any other program.
    public init(
        executable: String, arguments: [String], baseURL: String, environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws {
        let process = Process()
        process.executableURL = Self.executableURL(executable)
        process.currentDirectoryURL = currentDirectory
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let logFile = TestEnvironment.logDirectory.appendingPathComponent("\(process.executableURL!.lastPathComponent)-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
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
            guard process.isRunning else {
                throw ProcessFailure(description: "exited with \(process.terminationStatus) before serving:\n\(log)")
            }
            if let response = try? await HTTPClient.shared.get(url: baseURL + "/health").get(), response.status == .ok {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProcessFailure(description: "not healthy after \(timeout):\n\(log)")
    }

    /// Sends SIGTERM and waits for the process to finish; SIGKILL after `grace`. Children of Foundation's
    /// `Process` on Linux inherit a blocked signal mask, so programs that do not reset it (Python) never
    /// see the SIGTERM.
    public func stop(grace: Duration = .seconds(10)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Runs an executable to completion and returns its exit status and combined output.
    public static func runToCompletion(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executableURL(executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = try await Task.detached { try pipe.fileHandleForReading.readToEnd() ?? Data() }.value
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func executableURL(_ name: String) -> URL {
        name.hasPrefix("/") ? URL(fileURLWithPath: name) : TestEnvironment.binaryDirectory.appendingPathComponent(name)
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
