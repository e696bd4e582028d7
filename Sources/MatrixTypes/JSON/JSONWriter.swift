extension JSONValue {
    /// Compact JSON with object keys sorted by code point, so equal values always encode to equal bytes.
    /// Numbers are written as Synapse writes them (floats as Python's `repr`); non-finite floats become `null`.
    public func encoded() -> [UInt8] {
        var writer = JSONWriter<CompactNumbers>()
        writer.write(self)
        return writer.output
    }

    /// The spec's canonical JSON (appendix "Canonical JSON"): compact, keys sorted by code point,
    /// shortest escapes, raw UTF-8, integers only within ``canonicalIntegerRange``.
    public func canonicalEncoded() throws(JSONEncodingError) -> [UInt8] {
        var writer = JSONWriter<CanonicalNumbers>()
        try writer.write(self)
        return writer.output
    }

    /// Canonical JSON as Synapse writes it for every room version (Python's `json` through `canonicaljson`):
    /// the same bytes as ``canonicalEncoded()`` for every value that allows, and floats as Python's `repr` and
    /// integers of any size, which events of rooms v1–v5 may hold. Only non-finite floats are refused.
    public func legacyCanonicalEncoded() throws(JSONEncodingError) -> [UInt8] {
        var writer = JSONWriter<LegacyCanonicalNumbers>()
        try writer.write(self)
        return writer.output
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { String(decoding: encoded(), as: UTF8.self) }
}

/// How numbers are written; the only place the encodings differ.
protocol JSONNumberPolicy {
    associatedtype Failure: Error
    static func write(integer: Int64, into output: inout [UInt8]) throws(Failure)
    static func write(bigInteger: String, into output: inout [UInt8]) throws(Failure)
    static func write(double: Double, into output: inout [UInt8]) throws(Failure)
}

extension JSONNumberPolicy {
    static func write(integer: Int64, into output: inout [UInt8]) {
        JSONWriter<Self>.appendDecimal(integer, to: &output)
    }

    static func write(bigInteger: String, into output: inout [UInt8]) {
        output.append(contentsOf: bigInteger.utf8)
    }
}

enum CompactNumbers: JSONNumberPolicy {
    typealias Failure = Never

    /// Non-finite values have no JSON form and become null.
    static func write(double: Double, into output: inout [UInt8]) {
        output.append(contentsOf: (double.isFinite ? PythonFloatFormat.repr(double) : "null").utf8)
    }
}

enum LegacyCanonicalNumbers: JSONNumberPolicy {
    typealias Failure = JSONEncodingError

    /// Python's encoder (`allow_nan=False`) refuses non-finite floats, so Synapse cannot hash or sign them.
    static func write(double: Double, into output: inout [UInt8]) throws(JSONEncodingError) {
        guard double.isFinite else { throw JSONEncodingError("Number \(double) has no JSON encoding") }
        output.append(contentsOf: PythonFloatFormat.repr(double).utf8)
    }
}

enum CanonicalNumbers: JSONNumberPolicy {
    static func write(integer: Int64, into output: inout [UInt8]) throws(JSONEncodingError) {
        guard JSONValue.canonicalIntegerRange.contains(integer) else {
            throw JSONEncodingError("Integer \(integer) is outside the range canonical JSON allows")
        }
        JSONWriter<Self>.appendDecimal(integer, to: &output)
    }

    static func write(bigInteger: String, into output: inout [UInt8]) throws(JSONEncodingError) {
        throw JSONEncodingError("Integer \(bigInteger) is outside the range canonical JSON allows")
    }

    /// Canonical JSON has no floats, but the spec's own example encodes `1e10` as `10000000000`:
    /// an integral value in range is written as that integer; anything else is refused.
    static func write(double: Double, into output: inout [UInt8]) throws(JSONEncodingError) {
        guard double.isFinite, double.rounded(.towardZero) == double,
              let integer = Int64(exactly: double), JSONValue.canonicalIntegerRange.contains(integer)
        else { throw JSONEncodingError("Number \(double) is not an integer canonical JSON allows") }
        JSONWriter<Self>.appendDecimal(integer, to: &output)
    }
}

struct JSONWriter<Numbers: JSONNumberPolicy> {
    var output: [UInt8] = []

    init() {
        output.reserveCapacity(256)
    }

    mutating func write(_ value: JSONValue) throws(Numbers.Failure) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let integer): try Numbers.write(integer: integer, into: &output)
        case .double(let double): try Numbers.write(double: double, into: &output)
        case .bigInteger(let digits): try Numbers.write(bigInteger: digits, into: &output)
        case .string(let string): writeString(string)
        case .array(let elements):
            output.append(ASCII.openBracket)
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(ASCII.comma) }
                try write(element)
            }
            output.append(ASCII.closeBracket)
        case .object(let members):
            output.append(ASCII.openBrace)
            let sorted = members.sortedByKey()
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(ASCII.comma) }
                writeString(member.key)
                output.append(ASCII.colon)
                try write(member.value)
            }
            output.append(ASCII.closeBrace)
        }
    }

    /// Escapes only what JSON requires (`"`, `\` and control characters), using the short forms where they exist.
    private mutating func writeString(_ string: String) {
        output.append(ASCII.quote)
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == ASCII.quote || byte == ASCII.backslash else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart ..< index]))
                appendEscape(byte)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        output.append(ASCII.quote)
    }

    private mutating func appendEscape(_ byte: UInt8) {
        output.append(ASCII.backslash)
        switch byte {
        case ASCII.quote, ASCII.backslash: output.append(byte)
        case ASCII.backspace: output.append(ASCII.lowercaseB)
        case ASCII.formFeed: output.append(ASCII.lowercaseF)
        case ASCII.newline: output.append(ASCII.lowercaseN)
        case ASCII.carriageReturn: output.append(ASCII.lowercaseR)
        case ASCII.tab: output.append(ASCII.lowercaseT)
        default:
            output.append(contentsOf: [ASCII.lowercaseU, ASCII.zero, ASCII.zero, ASCII.zero + byte >> 4])
            let low = byte & 0x0F
            output.append(low < 10 ? ASCII.zero + low : 0x61 + low - 10)
        }
    }

    /// Writes an integer's decimal digits without going through `String`.
    static func appendDecimal(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(ASCII.minus) }
        var magnitude = value.magnitude
        if magnitude == 0 {
            output.append(ASCII.zero)
            return
        }
        let start = output.count
        while magnitude > 0 {
            output.append(ASCII.zero + UInt8(magnitude % 10))
            magnitude /= 10
        }
        output[start...].reverse()
    }
}
