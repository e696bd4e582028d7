import MatrixTypes
import Testing

@Suite("Server names")
struct ServerNameTests {
    @Test(arguments: [
        ("matrix.org", "matrix.org", ServerName.HostKind.dnsName, nil),
        ("matrix.org:8888", "matrix.org", .dnsName, 8888),
        ("1.2.3.4", "1.2.3.4", .ipv4, nil),
        ("1.2.3.4:1234", "1.2.3.4", .ipv4, 1234),
        ("[1234:5678::abcd]", "[1234:5678::abcd]", .ipv6, nil),
        ("[1234:5678::abcd]:5678", "[1234:5678::abcd]", .ipv6, 5678),
        ("[::1]", "[::1]", .ipv6, nil),
        ("[::]", "[::]", .ipv6, nil),
        ("[::ffff:1.2.3.4]:8448", "[::ffff:1.2.3.4]", .ipv6, 8448),
        ("[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8]", .ipv6, nil),
        ("[1:2:3:4:5:6:1.2.3.4]", "[1:2:3:4:5:6:1.2.3.4]", .ipv6, nil),
        ("localhost", "localhost", .dnsName, nil),
        ("Example-1.COM", "Example-1.COM", .dnsName, nil),
        ("1.2.3.400", "1.2.3.400", .dnsName, nil),
    ] as [(String, String, ServerName.HostKind, Int?)])
    func acceptsValidNames(name: String, host: String, kind: ServerName.HostKind, port: Int?) throws {
        let serverName = try ServerName(name)
        #expect(Array(serverName.rawValue.utf8) == Array(name.utf8))
        #expect(Array(serverName.host.utf8) == Array(host.utf8))
        #expect(serverName.hostKind == kind)
        #expect(serverName.port == port)
    }

    @Test(arguments: [
        "", ":8448", "matrix.org:", "matrix.org:abc", "matrix.org:123456", "matrix.org:70000", "a:1:2",
        "exa mple.org", "example_org", "exämple.org", "[1234:5678::abcd", "[1234:5678::abcd]x", "[]",
        "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::1]", "[::g]", "[1:2:3:4:5:6:7]", "[fe80::1%eth0]",
        "[1.2.3.4::1]", "[::1.2.3]", "1.2.3.4]", String(repeating: "a", count: 256),
    ])
    func rejectsInvalidNames(name: String) {
        #expect(throws: IdentifierError.self) { try ServerName(name) }
    }

    @Test func comparesCaseSensitively() throws {
        #expect(try ServerName("matrix.org") != ServerName("MATRIX.org"))
    }
}
