import Foundation

/// Where the test run keeps its pieces; `make test` sets every variable, and the fallbacks serve a
/// developer running `swift test` by hand after `swift build`.
public enum TestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    /// The package root, found from this file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Directory of the debug executables.
    public static var binaryDirectory: URL {
        environment["AXON_BIN_DIR"].map { URL(fileURLWithPath: $0) } ?? packageRoot.appendingPathComponent(".build/debug")
    }

    /// Python with Synapse and matrix-nio installed (`make venv`).
    public static var synapsePython: String? {
        environment["AXON_TEST_SYNAPSE_PYTHON"] ?? {
            let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
            return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
        }()
    }

    /// Where started processes write their logs, checked for leaked secrets after the run.
    public static var logDirectory: URL {
        let url = environment["AXON_TEST_LOG_DIR"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("axon-test-logs")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
