/// The opaque part of hash-derived identifiers: unpadded base64 of a SHA-256 digest, always 43 characters.
enum ReferenceHashGrammar {
    static let length = 43

    static func isHash(_ text: Substring, urlSafe: Bool) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A") ... UInt8(ascii: "Z"), UInt8(ascii: "a") ... UInt8(ascii: "z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"): true
            case UInt8(ascii: "+"), UInt8(ascii: "/"): !urlSafe
            case UInt8(ascii: "-"), UInt8(ascii: "_"): urlSafe
            default: false
            }
        }
    }
}
