import MatrixTypes
@testable import RoomFederation
import Testing

/// `m.room.server_acl` as Synapse reads it: globs on the host name (port ignored), deny before allow, IP literals
/// refused unless allowed.
@Suite struct ServerACLTests {
    @Test func globsMatchHostNamesWithoutPortOrCase() {
        #expect(ServerACL.glob("*.example.org", matches: "matrix.example.org"))
        #expect(!ServerACL.glob("*.example.org", matches: "example.org"))
        #expect(ServerACL.glob("ma?rix.org", matches: "MATRIX.org"))
        #expect(ServerACL.glob("*", matches: ""))
        #expect(!ServerACL.glob("a*b", matches: "a-b-c"))
        #expect(ServerACL.glob("a*b*c", matches: "a-b-b-c"))
        #expect(ServerACL.host(of: "example.org:8448") == "example.org")
        #expect(ServerACL.host(of: "[::1]:8448") == "[::1]")
    }

    @Test func denyWinsOverAllowAndIPLiteralsFollowTheirSwitch() throws {
        let acl = ServerACL(content: ["allow": ["*"], "deny": ["evil.org", "*.evil.org"], "allow_ip_literals": false])
        #expect(acl.allows(try ServerName("good.org:8448")))
        #expect(!acl.allows(try ServerName("evil.org")))
        #expect(!acl.allows(try ServerName("sub.evil.org")))
        #expect(!acl.allows(try ServerName("127.0.0.1:8448")))
        #expect(!acl.allows(try ServerName("[::1]")))
        #expect(ServerACL(content: ["allow": ["*"]]).allows(try ServerName("127.0.0.1:8448")))
        #expect(!ServerACL(content: [:]).allows(try ServerName("good.org")), "an ACL without allow entries allows no one")
    }
}
