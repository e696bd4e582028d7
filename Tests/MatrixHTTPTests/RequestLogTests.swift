import HTTPTypes
import Logging
import MatrixTypes
import Testing

@testable import MatrixHTTP

/// Query parameters are decoded once, the same way, for authentication and for the request log: however a
/// credential's name is spelled, if it authenticates it is redacted.
@Suite struct RequestLogTests {
    @Test func anEscapedTokenNameAuthenticatesAndIsRedacted() async throws {
        let log = CapturedLog()
        try await AccountTestServer.run(logger: log.logger) { client in
            let alice = try await client.register("alice")
            let encoded = AccountClient.queryEncoded(alice.token)
            let reply = try await client.call(.get, "/_matrix/client/v3/account/whoami?access_%74oken=\(encoded)", nil, credential: nil)
            #expect(reply.json["user_id"] == "@alice:axon.test", "the handler reads the decoded name")
            let plus = try await client.call(.get, "/_matrix/client/v3/account/whoami?x=1&%61ccess+token=\(encoded)&access_toke%6E=\(encoded)", nil, credential: nil)
            #expect(plus.status == 200, "\(plus)")
            #expect(!log.text.contains(alice.token), "the token reached the log")
            #expect(!log.text.contains(encoded), "the token reached the log")
            #expect(log.text.contains("access_%74oken=<redacted>"))
            #expect(log.text.contains("x=1&"), "other parameters are logged as sent")
        }
    }

    @Test func namesAreJudgedAfterSplittingAtEveryAmpersandByte() {
        let logged = RequestLog.redactedTarget(path: "/p", query: "x=1&\u{301}access_token=SECRET&q=a+b&%zz=1")
        #expect(!logged.contains("SECRET"), "\(logged)")
        #expect(logged == "/p?x=1&\u{301}access_token=<redacted>&q=a+b&%zz=<redacted>")
        #expect(RequestLog.redactedTarget(path: "/p", query: "since=s1&filter=%7B%7D") == "/p?since=s1&filter=%7B%7D")
    }
}
