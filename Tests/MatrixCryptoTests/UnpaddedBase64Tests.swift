import MatrixCrypto
import Testing

@Suite("Unpadded base64")
struct UnpaddedBase64Tests {
    /// The appendix's examples.
    static let specExamples: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: specExamples)
    func encodesAndDecodesSpecExamples(plain: String, encoded: String) {
        #expect(UnpaddedBase64.encode(Array(plain.utf8)) == encoded)
        #expect(UnpaddedBase64.decode(encoded) == Array(plain.utf8))
    }

    @Test func acceptsPaddedInput() {
        #expect(UnpaddedBase64.decode("Zg==") == Array("f".utf8))
        #expect(UnpaddedBase64.decode("Zm8=") == Array("fo".utf8))
    }

    @Test(arguments: ["Z", "Zm9vY", "Zg=", "Zg===", "Zm9v!", "Zm 9v", "Zm9v-_", "=Zg="])
    func rejectsMalformedInput(text: String) {
        #expect(UnpaddedBase64.decode(text) == nil)
    }

    @Test func urlSafeAlphabetSwapsTheLastTwoCharacters() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(UnpaddedBase64.encode(bytes) == "+/+/")
        #expect(UnpaddedBase64.encode(bytes, alphabet: .urlSafe) == "-_-_")
        #expect(UnpaddedBase64.decode("-_-_", alphabet: .urlSafe) == bytes)
        #expect(UnpaddedBase64.decode("-_-_") == nil)
        #expect(UnpaddedBase64.decode("+/+/", alphabet: .urlSafe) == nil)
    }

    @Test func roundTripsEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0 ..< 70 {
            let bytes = (0 ..< length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            for alphabet in [Base64Alphabet.standard, .urlSafe] {
                let encoded = UnpaddedBase64.encode(bytes, alphabet: alphabet)
                #expect(!encoded.contains("="))
                #expect(UnpaddedBase64.decode(encoded, alphabet: alphabet) == bytes)
            }
        }
    }
}
