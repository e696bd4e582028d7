import MatrixTypes
import Testing

@testable import Sync

/// `m.ignored_user_list` is read as Synapse reads it: the keys of `ignored_users`, compared byte for byte; any
/// other shape ignores nobody.
@Suite struct IgnoredUsersTests {
    @Test func theKeysOfIgnoredUsersAreIgnored() {
        let ignored = IgnoredUsers(content: ["ignored_users": ["@spam:example.org": [:], "@\u{E9}:example.org": [:]]])
        #expect(ignored.users == [JSONKey("@spam:example.org"), JSONKey("@\u{E9}:example.org")])
        #expect(!ignored.users.contains(JSONKey("@e\u{301}:example.org")), "another user, spelled alike")
    }

    @Test(arguments: [[:], ["ignored_users": ["@spam:example.org"]], ["ignored_users": "@spam:example.org"]] as [JSONValue])
    func anyOtherShapeIgnoresNobody(_ content: JSONValue) {
        #expect(IgnoredUsers(content: content).users.isEmpty)
    }
}
