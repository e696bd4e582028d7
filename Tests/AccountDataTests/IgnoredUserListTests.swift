import AccountData
import MatrixTypes
import Testing

/// `m.ignored_user_list` is read as Synapse reads it: the keys of `ignored_users`, compared byte for byte; any
/// other shape ignores nobody.
@Suite struct IgnoredUserListTests {
    @Test func theKeysOfIgnoredUsersAreIgnored() {
        let ignored = IgnoredUserList.users(in: ["ignored_users": ["@spam:example.org": [:], "@\u{E9}:example.org": [:]]])
        #expect(ignored == [JSONKey("@spam:example.org"), JSONKey("@\u{E9}:example.org")])
        #expect(!ignored.contains(JSONKey("@e\u{301}:example.org")), "another user, spelled alike")
    }

    @Test(arguments: [[:], ["ignored_users": ["@spam:example.org"]], ["ignored_users": "@spam:example.org"]] as [JSONValue])
    func anyOtherShapeIgnoresNobody(_ content: JSONValue) {
        #expect(IgnoredUserList.users(in: content).isEmpty)
    }
}
