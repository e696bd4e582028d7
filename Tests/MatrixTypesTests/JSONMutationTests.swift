import AxonTesting
import MatrixTypes
import Testing

/// Hostile input must be refused with an error, never crash or hang the parser.
@Suite("JSON parser under mutation")
struct JSONMutationTests {
    static let seedDocuments = [
        #"{"type":"m.room.message","content":{"body":"hé😀\n\"x\"","msgtype":"m.text"},"depth":12,"#
            + #""prev_events":["$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"],"origin_server_ts":1700000000000,"#
            + #""signatures":{"example.org":{"ed25519:a_AbCd":"c2ln"}},"unsigned":{"age":-5,"x":[true,false,null,1.5e3]}}"#,
        #"[[[{"a":[{"b":{"c":"\u00e9\ud83d\ude00"}}]}]],-0,9007199254740991,"\\\/\b\f\r\t"]"#,
    ].map { Array($0.utf8) }

    /// Bytes that steer mutations towards the parser's interesting paths.
    static let interestingBytes: [UInt8] = Array(#"{}[]",:\u0-1eE.+tfn"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF0, 0xF4, 0xFF]

    static func mutate(_ document: [UInt8], using generator: inout SeededRandomNumberGenerator) -> [UInt8] {
        var bytes = document
        for _ in 0 ..< Int.random(in: 1 ... 4, using: &generator) {
            let index = Int.random(in: 0 ..< max(bytes.count, 1), using: &generator)
            let byte = Bool.random(using: &generator)
                ? interestingBytes.randomElement(using: &generator)!
                : UInt8.random(in: .min ... .max, using: &generator)
            switch Int.random(in: 0 ..< 5, using: &generator) {
            case 0 where !bytes.isEmpty: bytes[index] = byte
            case 1: bytes.insert(byte, at: min(index, bytes.count))
            case 2 where !bytes.isEmpty: bytes.remove(at: index)
            case 3 where !bytes.isEmpty:
                let end = min(bytes.count, index + Int.random(in: 1 ... 16, using: &generator))
                bytes.insert(contentsOf: bytes[index ..< end], at: index)
            default:
                bytes = Array(bytes.prefix(index))
            }
        }
        return bytes
    }

    @Test func survivesAMillionMutations() throws {
        var generator = SeededRandomNumberGenerator(seed: 0xF022)
        var accepted = 0
        for iteration in 0 ..< 1_000_000 {
            let document = Self.seedDocuments[iteration % Self.seedDocuments.count]
            let mutated = Self.mutate(document, using: &generator)
            guard let value = try? JSONValue.parse(mutated) else { continue }
            accepted += 1
            let encoded = value.encoded()
            #expect(try JSONValue.parse(encoded) == value)
        }
        #expect(accepted > 0)
    }
}
