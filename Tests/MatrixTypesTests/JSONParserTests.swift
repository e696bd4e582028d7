import MatrixTypes
import Testing

@Suite("JSON parser")
struct JSONParserTests {
    private func parseError(_ text: String, options: JSONParseOptions = .standard) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(text, options: options)
            return nil
        } catch {
            return error
        }
    }

    private func parseError(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(" {\"a\" : [null, true, false, 1, -2.5, \"s\", {}, []]}\r\n\t")
        #expect(value == ["a": [nil, true, false, 1, -2.5, "s", [:], []]])
    }

    @Test func parsesFromAnyByteCollection() throws {
        let bytes = Array(#"{"k":"v"}"#.utf8)
        #expect(try JSONValue.parse(bytes) == ["k": "v"])
        #expect(try JSONValue.parse(bytes[...]) == ["k": "v"])
        #expect(try JSONValue.parse(bytes.lazy.map { $0 }) == ["k": "v"])
    }

    @Test func decodesEscapes() throws {
        let value = try JSONValue.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u65E5\ud83d\ude00""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\t\u{41}é日😀"))
    }

    @Test func keepsEscapedNul() throws {
        #expect(try JSONValue.parse(#""a\u0000b""#) == .string("a\u{0}b"))
    }

    @Test(arguments: [#""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\ud83d\n""#])
    func rejectsUnpairedSurrogates(text: String) {
        #expect(parseError(text)?.message.contains("surrogate") == true)
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],  // never valid
        [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0xC3, 0x22],  // truncated
        [0x22, 0xE6, 0x97, 0x22],  // truncated
        [0x22, 0x80, 0x22],  // stray continuation
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(parseError(bytes: bytes)?.message == "Invalid UTF-8")
    }

    @Test func acceptsFourByteUTF8() throws {
        #expect(try JSONValue.parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == .string("😀"))
    }

    @Test func aRepeatedKeyKeepsItsLastValueAsPythonReadsIt() throws {
        let value = try JSONValue.parse(#"{"a": 1, "b": {"a": 2}, "a": 3}"#)
        #expect(value == ["a": 3, "b": ["a": 2]])
        #expect(try value.canonicalEncoded() == Array(#"{"a":3,"b":{"a":2}}"#.utf8))
    }

    @Test func enforcesNestingDepth() throws {
        let options = JSONParseOptions(maxDepth: 4)
        #expect(try JSONValue.parse("[[[[1]]]]", options: options) == [[[[1]]]])
        #expect(parseError("[[[[[1]]]]]", options: options)?.message.contains("nested deeper") == true)
        #expect(parseError(#"{"a":{"a":{"a":{"a":{}}}}}"#, options: options) != nil)
        let deep = String(repeating: "[", count: 100_000)
        #expect(parseError(deep) != nil)
    }

    @Test func defaultDepthAllows512Levels() throws {
        let nested = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONValue.parse(nested)
        #expect(parseError("[" + nested + "]") != nil)
    }

    @Test func parsesIntegersExactly() throws {
        #expect(try JSONValue.parse("-0") == .integer(0))
        #expect(try JSONValue.parse("9223372036854775807") == .integer(.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .integer(.min))
        #expect(try JSONValue.parse("9007199254740993") == .integer(9_007_199_254_740_993))
    }

    /// Python reads integers of any size, so Synapse accepts them in request bodies and rooms v1–v5.
    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"])
    func keepsIntegersBeyond64BitsExactly(text: String) throws {
        #expect(try JSONValue.parse(text) == .bigInteger(text))
        #expect(try JSONValue.parse(text).encoded() == Array(text.utf8))
        #expect(parseError(text, options: JSONParseOptions(allowsBigIntegers: false))?.message == "Integer out of range")
        #expect(parseError(text, options: .canonical)?.message == "Integer out of range")
    }

    @Test func fractionsAndExponentsBecomeDoubles() throws {
        #expect(try JSONValue.parse("1.0") == .double(1))
        #expect(try JSONValue.parse("1e10") == .double(1e10))
        #expect(try JSONValue.parse("-0.0") == .double(-0.0))
        #expect(try JSONValue.parse("2.5E-3") == .double(0.0025))
        #expect(try JSONValue.parse("1E+2") == .double(100))
    }

    @Test(arguments: ["01", "-", "+1", "1.", ".5", "1e", "1e+", "0x10", "--1", "1.e5", "NaN", "Infinity", "-01"])
    func rejectsMalformedNumbers(text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func rejectsNumbersTooLargeForADouble() {
        #expect(parseError("1e400")?.message == "Number out of range")
    }

    @Test func canonicalOptionsRestrictNumbers() throws {
        #expect(try JSONValue.parse("[9007199254740991, -9007199254740991]", options: .canonical)
            == [9_007_199_254_740_991, -9_007_199_254_740_991])
        #expect(parseError("9007199254740992", options: .canonical)?.message == "Integer out of range")
        #expect(parseError("-9007199254740992", options: .canonical) != nil)
        #expect(parseError("1.5", options: .canonical)?.message.contains("fraction") == true)
        #expect(parseError("1e10", options: .canonical) != nil)
    }

    @Test(arguments: [
        "", " ", "{", "[", "[1,]", "[1 2]", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, "{1:2}", "{'a':1}",
        "tru", "nul", "True", "[1]]", "1 2", #""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#,
        "\"tab\there\"", "\u{FEFF}{}", "/* */{}", "[1]\u{0}",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect(parseError(text) != nil)
    }

    @Test func errorsSayWhatAndWhere() {
        let error = parseError(#"{"a": tru}"#)
        #expect(error?.message == "Invalid literal, expected 'true'")
        #expect(error?.offset == 6)
        #expect(error?.description == "Invalid literal, expected 'true' at byte 6")
        #expect(parseError("[1 x")?.message == "Expected ',' or ']' in array, found 'x'")
    }

    /// Compared as bytes: `String ==` would call a decomposed `e\u{301}` equal to a precomposed `é`.
    @Test func roundTripsThroughCompactEncoding() throws {
        let text = #"{"a":[1,-2,3.25,"\u0001é😀",{"":null}],"b":false,"e"# + "\u{301}" + #"":"decomposed"}"#
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.encoded()) == value)
        #expect(value.encoded() == Array(text.utf8))
    }
}
