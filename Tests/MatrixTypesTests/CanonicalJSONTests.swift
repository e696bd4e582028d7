import MatrixTypes
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    /// Input and expected output pairs from the specification's appendix.
    static let specExamples: [(input: String, canonical: String)] = [
        ("{}", "{}"),
        ("""
        {
            "one": 1,
            "two": "Two"
        }
        """, #"{"one":1,"two":"Two"}"#),
        ("""
        {
            "b": "2",
            "a": "1"
        }
        """, #"{"a":"1","b":"2"}"#),
        (#"{"b":"2","a":"1"}"#, #"{"a":"1","b":"2"}"#),
        ("""
        {
            "auth": {
                "success": true,
                "mxid": "@john.doe:example.com",
                "profile": {
                    "display_name": "John Doe",
                    "three_pids": [
                        {
                            "medium": "email",
                            "address": "john.doe@example.org"
                        },
                        {
                            "medium": "msisdn",
                            "address": "123456789"
                        }
                    ]
                }
            }
        }
        """,
        #"{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}"#),
        (#"{"a": "日本語"}"#, #"{"a":"日本語"}"#),
        (#"{"本": 2, "日": 1}"#, #"{"日":1,"本":2}"#),
        (#"{"a": "\u65E5"}"#, #"{"a":"日"}"#),
        (#"{"a": null}"#, #"{"a":null}"#),
        (#"{"a": -0, "b": 1e10}"#, #"{"a":0,"b":10000000000}"#),
    ]

    @Test("spec appendix examples", arguments: specExamples)
    func specExample(input: String, canonical: String) throws {
        let value = try JSONValue.parse(input)
        #expect(try value.canonicalEncoded() == Array(canonical.utf8))
    }

    @Test func keysSortByCodePointNotByStringComparison() throws {
        let value: JSONValue = ["z": 1, "é": 2, "\u{1F600}": 3, "ｚ": 4, "Z": 5, "a": 6, "\u{FFFD}": 7]
        #expect(try value.canonicalEncoded() == Array(#"{"Z":5,"a":6,"z":1,"é":2,"ｚ":4,"�":7,"😀":3}"#.utf8))
    }

    @Test func canonicallyEquivalentKeysAreDistinctMembers() throws {
        // Synapse accepts this object and gives an event holding it an ID; a Swift dictionary would merge the keys.
        let text = "{\"\u{E9}\": 1, \"e\u{301}\": 2}"
        let value = try JSONValue.parse(text)
        #expect(value.objectValue?.count == 2)
        #expect(value["\u{E9}"] == 1)
        #expect(value["e\u{301}"] == 2)
        // Code point order: "e" (0x65) sorts before "é" (0xC3 0xA9).
        #expect(try value.canonicalEncoded() == Array("{\"e\u{301}\":2,\"\u{E9}\":1}".utf8))
    }

    @Test func stringsCompareAndHashByBytes() {
        let precomposed: JSONValue = .string("\u{E9}")
        let decomposed: JSONValue = .string("e\u{301}")
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
        let left: JSONValue = ["\u{E9}": 1]
        let right: JSONValue = ["e\u{301}": 1]
        #expect(left != right)
        #expect(Set([left, right]).count == 2)
    }

    @Test func escapesOnlyWhatIsRequiredUsingShortForms() throws {
        let value: JSONValue = .string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}é\u{2028}")
        #expect(try value.canonicalEncoded() == Array("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u001f\u{7F}é\u{2028}\"".utf8))
    }

    @Test func everyControlCharacterUsesTheGrammarsEscape() throws {
        let shortForms: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
        for byte in UInt8(0) ..< 0x20 {
            let encoded = try JSONValue.string(String(UnicodeScalar(byte))).canonicalEncoded()
            let hex = String(byte, radix: 16)
            let expected = shortForms[byte] ?? "\\u00" + (hex.count == 1 ? "0" + hex : hex)
            #expect(encoded == Array("\"\(expected)\"".utf8))
        }
    }

    @Test func integersAtTheCanonicalBoundsEncode() throws {
        let value: JSONValue = [9_007_199_254_740_991, -9_007_199_254_740_991, 0]
        #expect(try value.canonicalEncoded() == Array("[9007199254740991,-9007199254740991,0]".utf8))
    }

    @Test(arguments: [JSONValue.integer(9_007_199_254_740_992), .integer(-9_007_199_254_740_992), .integer(.min), .integer(.max)])
    func integersOutsideTheCanonicalRangeAreRefused(value: JSONValue) {
        #expect(throws: JSONEncodingError.self) { try JSONValue.array([value]).canonicalEncoded() }
    }

    @Test(arguments: [JSONValue.double(1.5), .double(.nan), .double(.infinity), .double(9_007_199_254_740_992)])
    func nonIntegralNumbersAreRefused(value: JSONValue) {
        #expect(throws: JSONEncodingError.self) { try JSONValue.object(["n": value]).canonicalEncoded() }
    }

    @Test func integralDoublesEncodeAsIntegers() throws {
        #expect(try JSONValue.double(-0.0).canonicalEncoded() == Array("0".utf8))
        #expect(try JSONValue.double(42).canonicalEncoded() == Array("42".utf8))
    }

    @Test func compactEncodingMatchesCanonicalForCanonicalValues() throws {
        let value = try JSONValue.parse(#"{"b":[1,true,null,"x"],"a":{"é":-5,"c":"\n"}}"#)
        #expect(value.encoded() == (try value.canonicalEncoded()))
        #expect(value.encoded() == Array(#"{"a":{"c":"\n","é":-5},"b":[1,true,null,"x"]}"#.utf8))
    }

    @Test func compactEncodingWritesAnyNumber() {
        let value: JSONValue = [.integer(.min), .double(1.5), .double(.infinity)]
        #expect(value.encoded() == Array("[-9223372036854775808,1.5,null]".utf8))
    }
}
