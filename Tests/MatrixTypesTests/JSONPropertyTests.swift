import AxonTesting
import MatrixTypes
import Testing

@Suite("JSON properties")
struct JSONPropertyTests {
    /// Characters chosen to exercise escaping and code-point ordering: controls, quotes, multi-byte and astral scalars.
    static let alphabet: [Unicode.Scalar] = [
        "a", "b", "z", "Z", "0", " ", "\"", "\\", "/", "\u{0}", "\u{1}", "\n", "\t", "\u{1F}", "\u{7F}",
        "é", "e", "\u{301}", "ｚ", "日", "本", "\u{FFFD}", "\u{2028}", "\u{1F600}", "\u{10FFFF}",
    ]

    static func randomString(using generator: inout SeededRandomNumberGenerator) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0 ..< Int.random(in: 0 ... 6, using: &generator) {
            scalars.append(alphabet.randomElement(using: &generator)!)
        }
        return String(scalars)
    }

    static func randomValue(depth: Int, using generator: inout SeededRandomNumberGenerator) -> JSONValue {
        let kinds = depth > 4 ? 5 : 7
        switch Int.random(in: 0 ..< kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .integer(Int64.random(in: JSONValue.canonicalIntegerRange, using: &generator))
        case 3: return .integer(Int64.random(in: -1000 ... 1000, using: &generator))
        case 4: return .string(randomString(using: &generator))
        case 5:
            return .array((0 ..< Int.random(in: 0 ... 4, using: &generator)).map { _ in
                randomValue(depth: depth + 1, using: &generator)
            })
        default:
            var members: JSONObject = [:]
            for _ in 0 ..< Int.random(in: 0 ... 5, using: &generator) {
                members[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    @Test func canonicalEncodingIsIdempotentThroughParsing() throws {
        var generator = SeededRandomNumberGenerator(seed: 0x4D61_7472_6978)
        for _ in 0 ..< 2000 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let first = try value.canonicalEncoded()
            let reparsed = try JSONValue.parse(first, options: .canonical)
            #expect(reparsed == value)
            #expect(try reparsed.canonicalEncoded() == first)
        }
    }

    @Test func objectKeysAppearInCodePointOrder() throws {
        var generator = SeededRandomNumberGenerator(seed: 7)
        for _ in 0 ..< 500 {
            var members: JSONObject = [:]
            for _ in 0 ..< 8 { members[Self.randomString(using: &generator)] = .null }
            let byCodePoint = members.keys.sorted {
                $0.unicodeScalars.map(\.value).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
            }
            var expected = Array("{".utf8)
            for (index, key) in byCodePoint.enumerated() {
                if index > 0 { expected.append(contentsOf: ",".utf8) }
                expected.append(contentsOf: try JSONValue.string(key).canonicalEncoded())
                expected.append(contentsOf: ":null".utf8)
            }
            expected.append(contentsOf: "}".utf8)
            #expect(try JSONValue.object(members).canonicalEncoded() == expected)
        }
    }
}
