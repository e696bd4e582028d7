import AxonTesting
import Foundation
import MatrixTypes
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `deploy/local-cluster` brings the worker topology up behind nginx with one command and takes it all down on Ctrl-C.
@Suite(.enabled(if: WorkerCluster.isAvailable, "needs PostgreSQL, redis-server and nginx (make test-deps installs them)"))
struct LocalClusterTests {
    @Test func oneCommandServesThroughNginxAndCtrlCStopsEverything() async throws {
        let port = try await FreePort.next()
        let log = TestEnvironment.logDirectory.appendingPathComponent("local-cluster-\(UUID().uuidString.prefix(8)).log")
        let script = try ChildProcess(
            executable: "/bin/bash", arguments: [TestEnvironment.packageRoot.appendingPathComponent("deploy/local-cluster").path, String(port)],
            environment: ProcessInfo.processInfo.environment.merging(["AXON_BIN_DIR": TestEnvironment.binaryDirectory.path]) { $1 },
            output: .file(log.path)
        )
        let output = { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        do {
            try await ClientReaderTests.eventually("the cluster prints its URL", timeout: .seconds(90)) {
                output().contains("Axon worker cluster at http://127.0.0.1:\(port)")
            }
            let client = try await SuiteClient.register("http://127.0.0.1:\(port)", prefix: "local", recordSecrets: true)
            let roomID = try await client.createRoom()
            _ = try await client.send(roomID, "through the local cluster")
            try await ClientReaderTests.eventually("a client reader's sync has the message") {
                try await client.sync().timeline(roomID).contains { $0["content"]?["body"] == "through the local cluster" }
            }
        } catch {
            script.signal(SIGINT)
            _ = await script.waitForExit()
            throw error
        }
        script.signal(SIGINT)
        _ = await script.waitForExit()
        let directory = try #require(output().firstMatch(of: /logs in (\/tmp\/axon-local-cluster\.[A-Za-z0-9]+)/)?.1)
        #expect(!FileManager.default.fileExists(atPath: String(directory)), "the cluster's state is removed")
        #expect(Self.processes(mentioning: String(directory)).isEmpty, "every process of the cluster stopped")
        #expect(await !FreePort.acceptsConnections(port), "nginx stopped")
        #expect(output().contains("stopping"))
    }

    /// Process IDs whose command line mentions `text`.
    static func processes(mentioning text: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.filter { $0.allSatisfy(\.isNumber) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(text)
        }
    }
}
