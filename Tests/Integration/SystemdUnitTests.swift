import AxonTesting
import Foundation
import Testing

/// The units in `systemd/`, installed by `deploy/install-systemd.sh` under a staging root with the executables at
/// the paths they name, pass `systemd-analyze verify`; the shared settings reach every worker template.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"), "needs systemd-analyze"))
struct SystemdUnitTests {
    static let instances = [
        "axon.target", "axon.service", "axon-client-reader@client-reader1.service", "axon-federation-receiver@federation-receiver.service",
        "axon-federation-sender@federation-sender.service", "axon-media@media.service", "axon-event-persister@event-persister1.service",
    ]

    /// Stages the install under a fresh root holding the host's own system units (for the targets ours name); the
    /// caller removes it (it holds a copy of every executable).
    func stagedRoot() async throws -> URL {
        let root = try TestEnvironment.temporaryDirectory("axon-systemd")
        let installed = try await ChildProcess.run(
            "/bin/bash", [TestEnvironment.packageRoot.appendingPathComponent("deploy/install-systemd.sh").path],
            environment: ProcessInfo.processInfo.environment.merging(["DESTDIR": root.path]) { $1 }
        )
        #expect(installed.status == 0, "\(installed.output)")
        let bin = root.appendingPathComponent("usr/local/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for executable in ["axon", "axon-client-reader", "axon-federation-receiver", "axon-federation-sender", "axon-media", "axon-event-persister"] {
            try FileManager.default.copyItem(
                at: TestEnvironment.binaryDirectory.appendingPathComponent(executable), to: bin.appendingPathComponent(executable)
            )
        }
        let systemUnits = root.appendingPathComponent("usr/lib/systemd")
        try FileManager.default.createDirectory(at: systemUnits, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "/usr/lib/systemd/system"), to: systemUnits.appendingPathComponent("system"))
        return root
    }

    func verify(_ root: URL) async throws -> (status: Int32, output: String) {
        try await ChildProcess.run(
            "/usr/bin/systemd-analyze", ["verify", "--root=\(root.path)"] + Self.instances,
            currentDirectory: root.appendingPathComponent("etc/systemd/system").path
        )
    }

    @Test func everyUnitVerifiesCleanly() async throws {
        let root = try await stagedRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let verified = try await verify(root)
        #expect(verified.status == 0 && verified.output.isEmpty, "\(verified.output)")
    }

    @Test func theSharedSettingsReachEveryWorkerTemplate() async throws {
        let root = try await stagedRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let dropIn = root.appendingPathComponent("etc/systemd/system/axon-.service.d/hardening.conf")
        try (try String(contentsOf: dropIn, encoding: .utf8) + "NotARealSetting=1\n").write(to: dropIn, atomically: true, encoding: .utf8)
        let verified = try await verify(root)
        #expect(verified.output.components(separatedBy: "axon-.service.d/hardening.conf").count - 1 >= 5, "read for each of the five worker units: \(verified.output)")
    }
}
