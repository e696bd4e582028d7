/// Splitting and percent-decoding of raw paths and query strings, on their UTF-8 bytes: a URL's delimiters are
/// bytes, whereas `Character` operations would join a delimiter with a combining mark after it (and pay for
/// grapheme breaking on every request).
enum URLComponentBytes {
    /// `text` cut at each `separator` (an ASCII byte, so every cut falls between scalars); empty pieces are kept.
    static func split(_ text: Substring, at separator: UInt8) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = start
        let utf8 = text.utf8
        while index < utf8.endIndex {
            if utf8[index] == separator {
                pieces.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        pieces.append(text[start..<text.endIndex])
        return pieces
    }

    /// `text` before and after its first `separator`; `nil` after when there is none.
    static func cut(_ text: Substring, at separator: UInt8) -> (before: Substring, after: Substring?) {
        guard let index = text.utf8.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.utf8.index(after: index)...])
    }

    /// Percent-decodes `raw`; in query strings (`plusIsSpace`) `+` is a space, in paths it is itself. `nil` when an
    /// escape is malformed or the bytes are not UTF-8.
    static func percentDecode(_ raw: Substring, plusIsSpace: Bool) -> String? {
        let percent = UInt8(ascii: "%")
        let plus = UInt8(ascii: "+")
        guard raw.utf8.contains(where: { $0 == percent || (plusIsSpace && $0 == plus) }) else { return String(raw) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case percent:
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            case plus where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
