import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// What an admin sees when a config is wrong: every mistake at once, and the fix named.
@Suite struct ConfigRefusalTests {
    func write(_ yaml: String) throws -> String {
        let dir = try TestEnvironment.temporaryDirectory("axon-config")
        let path = dir.appendingPathComponent("homeserver.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func threeMistakesAreAllReported() async throws {
        let path = try write("""
            server_name: "bad name!"
            listeners:
              - port: "eighty"
                type: http
                resources: [{names: [client]}]
            database:
              name: sqlite3
              args: {database: /tmp/x.db}
            max_upload_size: lots
            """)
        let result = try await ServerProcess.runToCompletion("axon", ["check-config", "-c", path])
        #expect(result.status != 0)
        #expect(result.output.contains("server_name"), "\(result.output)")
        #expect(result.output.contains("listeners[0].port"), "\(result.output)")
        #expect(result.output.contains("max_upload_size"), "\(result.output)")
    }

    @Test func openRegistrationWithoutVerificationRefusesToStart() async throws {
        let path = try write("""
            server_name: example.org
            enable_registration: true
            listeners: [{port: 1, type: http, resources: [{names: [client]}]}]
            database: {name: sqlite3, args: {database: /tmp/never-created.db}}
            """)
        let result = try await ServerProcess.runToCompletion("axon", ["-c", path])
        #expect(result.status != 0)
        #expect(result.output.contains("enable_registration_without_verification"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-created.db"))
    }

    @Test func urlPreviewsWithoutAnIPBlacklistRefuseToStart() async throws {
        let path = try write("""
            server_name: example.org
            url_preview_enabled: true
            listeners: [{port: 1, type: http, resources: [{names: [client]}]}]
            database: {name: sqlite3, args: {database: /tmp/never-created-previews.db}}
            """)
        let result = try await ServerProcess.runToCompletion("axon", ["-c", path])
        #expect(result.status != 0)
        #expect(result.output.contains("url_preview_ip_range_blacklist"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never-created-previews.db"))
    }
}
