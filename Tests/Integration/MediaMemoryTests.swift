import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Uploads and downloads stream, on either engine: a 40 MB file goes through the server in chunks, so its peak resident memory grows
/// by far less than the file. The peak is Linux's `VmHWM`, restarted at the current size (`clear_refs`) once the
/// server has served a small file, so what is measured is the large file alone.
@Suite struct MediaMemoryTests {
    @Test func aFortyMegabyteFileGoesUpAndDownInBoundedMemoryOnSQLite() async throws {
        try await Self.check(database: nil)
    }

    @Test(.enabled(if: PostgresProcessDatabase.isAvailable, "needs PostgreSQL (make test)"))
    func aFortyMegabyteFileGoesUpAndDownInBoundedMemoryOnPostgreSQL() async throws {
        try await PostgresProcessDatabase.withEmpty { database in try await Self.check(database: database.yaml) }
    }

    /// - Parameter database: a `database:` section, SQLite when `nil`.
    static func check(database: String?) async throws {
        let fixture = try await AccountServerFixture.make(database: database, extra: "max_upload_size: 64M")
        let server = try await fixture.start()
        try await server.whileRunning {
            let user = try await SuiteClient.register(fixture.baseURL, prefix: "big", recordSecrets: true)
            let small = (0..<1_000_000).map { _ in UInt8.random(in: 0...255) }
            let warmUp = try await user.upload(small, contentType: "application/octet-stream")
            #expect(try await user.media("GET", "/_matrix/client/v1/media/download/\(warmUp.server)/\(warmUp.mediaID)").body == small)

            let pid = server.child.pid
            try "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
            let before = try Self.memory(of: pid)
            var large = [UInt8](repeating: 0, count: 40 * 1024 * 1024)
            for index in stride(from: 0, to: large.count, by: 4096) { large[index] = UInt8.random(in: 0...255) }
            let (server, mediaID) = try await user.upload(large, contentType: "application/octet-stream", fileName: "large.bin")
            let download = try await user.media("GET", "/_matrix/client/v1/media/download/\(server)/\(mediaID)")
            #expect(download.status == 200 && download.body == large, "\(download.status), \(download.body.count) bytes")
            let after = try Self.memory(of: pid)
            let growth = after.peak - before.resident
            #expect(growth < 16 * 1024, "peak resident memory grew by \(growth) KiB (from \(before.resident) to a peak of \(after.peak) KiB)")
        }
    }

    /// `VmRSS` and `VmHWM` in KiB.
    static func memory(of pid: pid_t) throws -> (resident: Int, peak: Int) {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        var resident = 0
        var peak = 0
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let value = Int(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { resident = value }
            if fields[0] == "VmHWM:" { peak = value }
        }
        guard resident > 0, peak > 0 else { throw SuiteFailure("no VmRSS or VmHWM in /proc/\(pid)/status") }
        return (resident, peak)
    }
}
