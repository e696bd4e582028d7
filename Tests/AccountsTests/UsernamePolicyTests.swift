@testable import Accounts
import MatrixTypes
import Testing

/// The localpart rules for new accounts, with Synapse's messages.
@Suite struct UsernamePolicyTests {
    static let server = try! ServerName("example.org")

    @Test(arguments: ["alice", "a.b_c=d-e/f+g", "x1"])
    func acceptsTheGrammar(_ localpart: String) throws {
        #expect(try UsernamePolicy.check(localpart, serverName: Self.server).rawValue == "@\(localpart):example.org")
    }

    @Test(arguments: [
        ("Alice", "User ID can only contain characters a-z, 0-9, or '=_-./+'"),
        ("", "User ID cannot be empty"),
        ("_irc_bridge", "User ID may not begin with _"),
        ("1234", "Numeric user IDs are reserved for guest users."),
        (String(repeating: "a", count: 244), "User ID may not be longer than 255 characters"),
    ])
    func refuses(_ localpart: String, reason: String) {
        #expect(throws: RegistrationError.invalidUsername(reason)) { try UsernamePolicy.check(localpart, serverName: Self.server) }
    }

    @Test func theLimitCountsTheWholeUserID() throws {
        let longest = String(repeating: "a", count: 255 - "@:example.org".count)
        #expect(try UsernamePolicy.check(longest, serverName: Self.server).rawValue.utf8.count == 255)
    }
}
