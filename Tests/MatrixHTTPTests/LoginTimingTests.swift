import HTTPTypes
import MatrixTypes
import Testing

/// A failed login costs one Argon2 check whether or not the account exists, so timing does not reveal which
/// accounts do.
@Suite struct LoginTimingTests {
    static func median(_ durations: [Duration]) -> Duration {
        durations.sorted()[durations.count / 2]
    }

    @Test func unknownUsersCostAsMuchAsWrongPasswords() async throws {
        // Round 11 is 32 MiB per check: tens of milliseconds, far above a database lookup.
        try await AccountTestServer.run(["bcrypt_rounds": "11"]) { client in
            try await client.register("alice")
            var known: [Duration] = []
            var unknown: [Duration] = []
            let clock = ContinuousClock()
            for _ in 0..<5 {
                var reply: AccountClient.Reply?
                known.append(try await clock.measure { reply = try await client.login("alice", password: "wrong password") })
                #expect(reply?.status == 403)
                unknown.append(try await clock.measure { reply = try await client.login("nobody", password: "wrong password") })
                #expect(reply?.status == 403)
                unknown.append(try await clock.measure { reply = try await client.login("@alice:elsewhere.test", password: "wrong password") })
                #expect(reply?.status == 403)
            }
            #expect(Self.median(unknown) * 2 > Self.median(known), "unknown \(unknown), known \(known)")
        }
    }
}
