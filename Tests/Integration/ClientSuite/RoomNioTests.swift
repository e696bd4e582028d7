import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// matrix-nio, an independent client, through a two-user room: invite, join, 50 messages each way, back
/// pagination, typing, receipts, a display name change and a leave, every event exactly once in each user's
/// sync. Run against Synapse too, which shows the scenario asks only what a real server does, and against the worker
/// cluster behind nginx.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs the venv with matrix-nio (make venv)"))
struct RoomNioTests {
    @Test(arguments: [HomeserverKind.axonSQLite, .synapse, .axonWorkers].filter(\.isAvailable))
    func twoUsersChatThroughNio(on kind: HomeserverKind) async throws {
        try await kind.run { baseURL, _ in
            let run = try await CommandRun.run(
                URL(fileURLWithPath: try #require(TestEnvironment.synapsePython)),
                [TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/nio_rooms.py").path, baseURL]
            )
            try #require(run.status == 0, "\(run.output)")
            let result = try JSONValue.parse(try #require(run.output.split(separator: "\n").last.map(String.init)))
            #expect(result["failures"] == [], "\(result)")
            let steps = result["steps"] ?? [:]
            #expect(steps["messages_seen_by_alice"] == 100)
            #expect(steps["messages_seen_by_bob"] == 100)
            #expect(steps["duplicates"] == ["alice": 0, "bob": 0])
            for check in ["invite_seen", "history_reaches_create", "history_in_order", "typing_seen", "receipt_seen", "displayname_seen",
                          "leave_seen_by_alice", "leave_in_bob_sync"] {
                #expect(steps[check] == true, "\(check) on \(kind)")
            }
            #expect(result["ok"] == true)
        }
    }
}
