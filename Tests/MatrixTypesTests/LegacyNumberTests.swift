@testable import MatrixTypes
import Testing

/// Rooms v1–v5 carry floats and integers beyond 2^53; their hashes, signatures and event IDs cover the bytes
/// Synapse writes for them. The fixtures are Python's own answers (Tests/tools/generate-json-number-fixtures.py).
@Suite("Legacy JSON numbers as Synapse writes them")
struct LegacyNumberTests {
    struct FloatCase: Sendable, CustomTestStringConvertible {
        let bits: UInt64
        let repr: String
        var testDescription: String { repr }
    }

    struct LiteralCase: Sendable, CustomTestStringConvertible {
        let literal: String
        /// `nil` when Synapse refuses to read or to re-write it.
        let written: String?
        var testDescription: String { String(literal.prefix(40)) }
    }

    static let fixtures = try! JSONValue.parse(PythonNumberFixtures.json)

    static let floats: [FloatCase] = fixtures["floats"]!.arrayValue!.map { entry in
        FloatCase(bits: UInt64(entry[0]!.stringValue!, radix: 16)!, repr: entry[1]!.stringValue!)
    }

    static let literals: [LiteralCase] = fixtures["literals"]!.arrayValue!.map { entry in
        LiteralCase(literal: entry[0]!.stringValue!, written: entry[1]!.stringValue)
    }

    @Test func fixturesAreLoaded() {
        #expect(Self.floats.count > 3000)
        #expect(Self.literals.count > 400)
    }

    @Test func floatsAreWrittenAsPythonRepr() {
        var mismatches: [String] = []
        for fixture in Self.floats {
            let value = Double(bitPattern: fixture.bits)
            let expected = Array(fixture.repr.utf8)
            guard PythonFloatFormat.repr(value).utf8.elementsEqual(expected),
                  (try? JSONValue.double(value).legacyCanonicalEncoded()) == expected,
                  JSONValue.double(value).encoded() == expected
            else {
                mismatches.append("\(fixture.repr) written as \(PythonFloatFormat.repr(value))")
                continue
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func literalsReadAndRewriteAsSynapseDoes() {
        var mismatches: [String] = []
        for fixture in Self.literals {
            let written = try? JSONValue.parse(fixture.literal).legacyCanonicalEncoded()
            if written != fixture.written.map({ Array($0.utf8) }) {
                let ours = written.map { String(decoding: $0, as: UTF8.self) } ?? "refused"
                mismatches.append("\(fixture.literal.prefix(40)): Synapse \(fixture.written ?? "refuses"), Axon \(ours)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test(arguments: [
        (1e16, "1e+16"), (1e-5, "1e-05"), (1e15, "1000000000000000.0"), (0.1, "0.1"), (-0.0, "-0.0"),
        (1.5e300, "1.5e+300"), (9_007_199_254_740_994, "9007199254740994.0"), (1e-4, "0.0001"), (.leastNonzeroMagnitude, "5e-324"),
    ])
    func namedExamples(value: Double, python: String) throws {
        #expect(try JSONValue.double(value).legacyCanonicalEncoded() == Array(python.utf8))
    }

    @Test func integersBeyond64BitsKeepTheirExactDigits() throws {
        let text = #"{"big":123456789012345678901234567890,"max":9223372036854775807,"neg":-9223372036854775809}"#
        let value = try JSONValue.parse(text)
        #expect(value["big"] == .bigInteger("123456789012345678901234567890"))
        #expect(value["neg"] == .bigInteger("-9223372036854775809"))
        #expect(value["max"] == .integer(.max))
        #expect(try value.legacyCanonicalEncoded() == Array(text.utf8))
        #expect(value.encoded() == Array(text.utf8))
    }

    /// Python refuses integer literals of more than 4,300 digits (its `int` conversion limit), so Synapse does.
    @Test func integerDigitsAreLimitedAsPythonLimitsThem() throws {
        let longest = String(repeating: "7", count: 4300)
        #expect(try JSONValue.parse("-" + longest) == .bigInteger("-" + longest))
        #expect(throws: JSONParseError.self) { try JSONValue.parse(longest + "7") }
    }

    /// Strict canonical JSON (rooms v6 and later) still has neither floats nor integers beyond ±(2^53 - 1).
    @Test func canonicalParsingAndEncodingStillRefuseLegacyNumbers() {
        for literal in ["1.5", "1e16", "9007199254740992", "123456789012345678901234567890"] {
            #expect(throws: JSONParseError.self) { try JSONValue.parse(literal, options: .canonical) }
        }
        #expect(throws: JSONEncodingError.self) { try JSONValue.bigInteger("123456789012345678901234567890").canonicalEncoded() }
        #expect(throws: JSONEncodingError.self) { try JSONValue.double(1.5).canonicalEncoded() }
    }

    @Test func nonFiniteFloatsHaveNoLegacyEncoding() {
        #expect(throws: JSONEncodingError.self) { try JSONValue.double(.infinity).legacyCanonicalEncoded() }
        #expect(throws: JSONEncodingError.self) { try JSONValue.double(.nan).legacyCanonicalEncoded() }
    }
}
