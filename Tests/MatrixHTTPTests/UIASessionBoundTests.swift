import AxonTesting
import Foundation
import HTTPTypes
import MatrixTypes
import Storage
import Testing

/// Every re-authentication or registration request without a session starts one that lives two days, so the
/// sessions kept are bounded: twenty per user and ten thousand for registration, the oldest dropped first.
@Suite struct UIASessionBoundTests {
    @Test func aUserKeepsTwentySessionsAndStartingAnotherDropsTheOldest() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let bob = try await client.register("bob")
            let bobs = try await client.call(.post, "/_matrix/client/v3/account/password", ["new_password": "bob's new one"], token: bob.token)
            let bobsSession = try #require(bobs.json["session"]?.stringValue)
            // A session with a completed stage, so dropping it must drop its stage too.
            let done = try await client.call(
                .post, "/_matrix/client/v3/delete_devices", ["devices": [], "auth": AccountClient.passwordAuth(alice)], token: alice.token
            )
            #expect(done.status == 200, "\(done)")
            var started: [String] = []
            for index in 0..<25 {
                let (path, body): (String, JSONValue) =
                    switch index % 3 {
                    case 0: ("/_matrix/client/v3/delete_devices", ["devices": []])
                    case 1: ("/_matrix/client/v3/account/password", ["new_password": "alice's new one"])
                    default: ("/_matrix/client/v3/account/deactivate", [:])
                    }
                let reply = try await client.call(.post, path, body, token: alice.token)
                #expect(reply.status == 401, "\(reply)")
                started.append(try #require(reply.json["session"]?.stringValue))
            }

            let alices: Int = try await client.database.read {
                try $0.queryValue("SELECT count(*) FROM ui_auth_sessions WHERE user_id = ?", [.text(alice.userID)])
            }
            #expect(alices == 20)
            let orphanStages: Int = try await client.database.read {
                try $0.queryValue("SELECT count(*) FROM ui_auth_session_stages WHERE session_id NOT IN (SELECT session_id FROM ui_auth_sessions)")
            }
            #expect(orphanStages == 0)
            let oldest = try await client.call(
                .post, "/_matrix/client/v3/delete_devices", ["devices": [], "auth": ["session": .string(started[0])]], token: alice.token
            )
            #expect(oldest.status == 400 && oldest.errcode == "M_UNKNOWN", "the oldest session was dropped: \(oldest)")
            let newest = try await client.call(
                .post, "/_matrix/client/v3/delete_devices",
                ["devices": [], "auth": AccountClient.passwordAuth(alice, uiaSession: started[24])], token: alice.token
            )
            #expect(newest.status == 200, "\(newest)")
            let bobsContinued = try await client.call(
                .post, "/_matrix/client/v3/account/password",
                ["auth": AccountClient.passwordAuth(bob, uiaSession: bobsSession)], token: bob.token
            )
            #expect(bobsContinued.status == 200, "another user's session is not touched: \(bobsContinued)")
        }
    }

    /// Registration sessions belong to no user; beyond ten thousand, a new one drops the oldest.
    @Test func registrationKeepsTenThousandSessions() async throws {
        try await AccountTestServer.run { client in
            let newest = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
            _ = try await client.database.write { transaction in
                try transaction.execute(
                    """
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO ui_auth_sessions (session_id, created_ts, operation, user_id, params)
                    SELECT 'seeded' || CAST(i AS TEXT), CAST(? AS BIGINT) - i, 'register', NULL, '{}' FROM n
                    """,
                    [.integer(newest)]
                )
            }
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": "probe", "password": "pw"])
            let session = try #require(reply.json["session"]?.stringValue, "\(reply)")
            let kept: [String] = try await client.database.read { connection in
                try connection.query("SELECT session_id FROM ui_auth_sessions WHERE user_id IS NULL").map { try $0.decode("session_id") }
            }
            #expect(kept.count == 10_000)
            #expect(kept.contains(session))
            #expect(!kept.contains("seeded10000"), "the oldest was dropped")
            #expect(kept.contains("seeded9999"))
        }
    }
}
