import Federation
import NIOCore
import Testing

/// The DNS wire format as server-name resolution writes and reads it, with answers built byte by byte.
struct DNSMessageTests {
    static func name(_ text: String) -> [UInt8] {
        text.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    static func u16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    /// A response to query `id` for `question`, with `flags` and the given answer records (already encoded).
    static func response(id: Int = 0x1234, flags: Int = 0x8180, question: String, type: Int, answers: [[UInt8]]) -> [UInt8] {
        u16(id) + u16(flags) + u16(1) + u16(answers.count) + u16(0) + u16(0) + name(question) + u16(type) + u16(1) + answers.flatMap { $0 }
    }

    /// An answer record whose owner points back at the question's name (offset 12).
    static func record(type: Int, ttl: Int = 300, data: [UInt8]) -> [UInt8] {
        [0xC0, 12] + u16(type) + u16(1) + u16(ttl >> 16) + u16(ttl & 0xFFFF) + u16(data.count) + data
    }

    @Test func aQueryAsksOneQuestionWithRecursionAndEDNS() throws {
        let query = try DNSMessage.query(id: 0xBEEF, name: "_matrix-fed._tcp.Example.org.", type: .srv)
        #expect(Array(query.prefix(12)) == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1])
        let question = Self.name("_matrix-fed._tcp.example.org") + Self.u16(33) + Self.u16(1)
        #expect(Array(query[12..<(12 + question.count)]) == question)
        #expect(Array(query.suffix(11)) == [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0])
        let plain = try DNSMessage.query(id: 0xBEEF, name: "example.org", type: .a, edns: false)
        #expect(Array(plain.prefix(12)) == [0xBE, 0xEF, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0], "no additional record without EDNS")
        #expect(plain.count == 12 + Self.name("example.org").count + 4)
        #expect(throws: DNSMessage.Failure.invalidName) { try DNSMessage.query(id: 1, name: String(repeating: "a", count: 64) + ".org", type: .a) }
        #expect(throws: DNSMessage.Failure.invalidName) { try DNSMessage.query(id: 1, name: "a..org", type: .a) }
    }

    @Test func srvRecordsAreReadWithCompressedTargetsPassingOverOtherTypes() throws {
        let question = "_matrix-fed._tcp.example.org"
        let cname = Self.record(type: 5, data: Self.name("elsewhere.example.org"))
        // The target "matrix" + a pointer to "example.org" inside the question (offset 12 + 1 + 11 + 1 + 4 = 29).
        let srv = Self.record(type: 33, ttl: 3600, data: Self.u16(10) + Self.u16(5) + Self.u16(8448) + [6] + Array("matrix".utf8) + [0xC0, 29])
        let message = Self.response(question: question, type: 33, answers: [cname, srv])
        let answer = try DNSMessage.answer(message, id: 0x1234, name: question, type: .srv)
        #expect(answer == .records([.service(ServiceRecord(priority: 10, weight: 5, port: 8448, target: "matrix.example.org", ttl: 3600))]))
    }

    @Test func addressRecordsAreRead() throws {
        let v4 = Self.response(question: "host.example.org", type: 1, answers: [Self.record(type: 1, data: [127, 0, 0, 9])])
        #expect(try DNSMessage.answer(v4, id: 0x1234, name: "HOST.example.org.", type: .a) == .records([.address([127, 0, 0, 9], ttl: 300)]))
        let v6 = Self.response(question: "host.example.org", type: 28, answers: [Self.record(type: 28, data: Array(repeating: 0, count: 15) + [1])])
        #expect(try DNSMessage.answer(v6, id: 0x1234, name: "host.example.org", type: .aaaa) == .records([.address(Array(repeating: 0, count: 15) + [1], ttl: 300)]))
        let shortAddress = Self.response(question: "host.example.org", type: 1, answers: [Self.record(type: 1, data: [127, 0, 0])])
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(shortAddress, id: 0x1234, name: "host.example.org", type: .a) }
    }

    @Test func responseCodesAndFlagsAreHonoured() throws {
        let question = "_matrix._tcp.example.org"
        let nxdomain = Self.response(flags: 0x8183, question: question, type: 33, answers: [])
        #expect(try DNSMessage.answer(nxdomain, id: 0x1234, name: question, type: .srv) == .noSuchName)
        let empty = Self.response(question: question, type: 33, answers: [])
        #expect(try DNSMessage.answer(empty, id: 0x1234, name: question, type: .srv) == .records([]))
        let servfail = Self.response(flags: 0x8182, question: question, type: 33, answers: [])
        #expect(throws: DNSMessage.Failure.serverFailure(2)) { try DNSMessage.answer(servfail, id: 0x1234, name: question, type: .srv) }
        let truncated = Self.response(flags: 0x8380, question: question, type: 33, answers: [])
        #expect(throws: DNSMessage.Failure.truncated) { try DNSMessage.answer(truncated, id: 0x1234, name: question, type: .srv) }
        // An error without the question repeated is still the server's answer; anything else without it is not.
        let formerr = Self.u16(0x1234) + Self.u16(0x8181) + Self.u16(0) + Self.u16(0) + Self.u16(0) + Self.u16(0)
        #expect(throws: DNSMessage.Failure.serverFailure(1)) { try DNSMessage.answer(formerr, id: 0x1234, name: question, type: .srv) }
        let bareNXDomain = Self.u16(0x1234) + Self.u16(0x8183) + Self.u16(0) + Self.u16(0) + Self.u16(0) + Self.u16(0)
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(bareNXDomain, id: 0x1234, name: question, type: .srv) }
    }

    @Test func anythingButTheAnswerToTheQuestionAskedIsRefused() {
        let question = "_matrix._tcp.example.org"
        let answer = Self.response(question: question, type: 33, answers: [])
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(answer, id: 0x4321, name: question, type: .srv) }
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(answer, id: 0x1234, name: "_matrix._tcp.example.net", type: .srv) }
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(answer, id: 0x1234, name: question, type: .a) }
        let query = Self.response(flags: 0x0100, question: question, type: 33, answers: [])
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(query, id: 0x1234, name: question, type: .srv) }
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(Array(answer.prefix(20)), id: 0x1234, name: question, type: .srv) }
        // A record whose target points at itself: the reader gives up rather than looping.
        let selfPointing = Self.response(question: question, type: 33, answers: [])
        let loopOffset = selfPointing.count + 12 + 6
        let looping = Self.response(
            question: question, type: 33, answers: [Self.record(type: 33, data: Self.u16(0) + Self.u16(0) + Self.u16(1) + [0xC0, UInt8(loopOffset)])]
        )
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(looping, id: 0x1234, name: question, type: .srv) }
        let overlong = Self.response(question: question, type: 33, answers: [Self.record(type: 33, data: Self.u16(0) + Self.u16(0) + Self.u16(1) + [0] + [9])])
        #expect(throws: DNSMessage.Failure.malformed) { try DNSMessage.answer(overlong, id: 0x1234, name: question, type: .srv) }
    }

    @Test func nameServersAreReadFromResolvConf() {
        let servers = DNSClient.servers(resolvConf: "# comment\nnameserver 10.0.0.2\nsearch example.org\nnameserver fe80::1%eth0\nnameserver ::1\n")
        #expect(servers.map { "\($0.ipAddress ?? ""):\($0.port ?? 0)" } == ["10.0.0.2:53", "::1:53"])
        #expect(DNSClient.servers(resolvConf: "").map { $0.ipAddress } == ["127.0.0.1"])
    }
}
