import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// matrix-nio, an independent client, through the account lifecycle against the real `axon` binary.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs the venv with matrix-nio (make venv)"))
struct AccountNioTests {
    @Test func registerLoginWhoamiLogoutThenTheOldTokenIsUnknown() async throws {
        let password = "nio-password-\(UUID().uuidString.prefix(8))"
        TestSecrets.record(password)
        let fixture = try await AccountServerFixture.make()
        let server = try await fixture.start()
        let run = try await server.whileRunning {
            try await CommandRun.run(
                URL(fileURLWithPath: try #require(TestEnvironment.synapsePython)),
                [TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/nio_accounts.py").path, fixture.baseURL, "niouser", password]
            )
        }
        try #require(run.status == 0, "\(run.output)")
        let steps = try JSONValue.parse(try #require(run.output.split(separator: "\n").last.map(String.init)))
        let tokens = steps["tokens"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(tokens.count == 2)
        tokens.forEach(TestSecrets.record)
        #expect(steps["register"] == ["ok": true, "user_id": "@niouser:accounts.test"], "\(steps)")
        #expect(steps["login"]?["ok"] == true)
        #expect(steps["login"]?["user_id"] == "@niouser:accounts.test")
        #expect(steps["whoami"]?["ok"] == true)
        #expect(steps["whoami"]?["user_id"] == "@niouser:accounts.test")
        #expect(steps["whoami"]?["device_id"] == steps["login"]?["device_id"])
        #expect(steps["whoami"]?["is_guest"] == false)
        #expect(steps["logout"] == ["ok": true])
        #expect(steps["whoami_after_logout"] == ["ok": false, "errcode": "M_UNKNOWN_TOKEN"])
        #expect(!server.log.contains(password))
        #expect(tokens.allSatisfy { !server.log.contains($0) })
        #expect(server.log.contains("POST /_matrix/client/v3/login 200"), "requests are logged, without their bodies")
    }
}
