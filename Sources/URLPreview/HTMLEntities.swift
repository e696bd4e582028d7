/// Character references in text that should not have them (oEmbed titles, which a common WordPress plug-in escapes
/// twice): numeric ones and the few named ones such titles carry.
enum HTMLEntities {
    static let named: [Substring: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]

    static func unescape(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            rest = rest[ampersand...]
            guard let semicolon = rest.prefix(12).firstIndex(of: ";"), let character = character(rest[rest.index(after: rest.startIndex)..<semicolon]) else {
                result += "&"
                rest = rest.dropFirst()
                continue
            }
            result += character
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func character(_ reference: Substring) -> String? {
        guard reference.first == "#" else { return named[reference] }
        let digits = reference.dropFirst()
        let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
}
