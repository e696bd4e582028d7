extension JSONValue {
    /// Parses one JSON document (RFC 8259, strict): valid UTF-8 only, nesting and integers limited by `options`.
    /// Object keys are distinct when their bytes differ (canonically equivalent keys are two members); a key
    /// repeated byte for byte keeps its last value, as Python's `json` (and so Synapse) reads it: refusing what
    /// Synapse accepts would let one server take an event the other cannot parse.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        options: JSONParseOptions = .standard
    ) throws(JSONParseError) -> JSONValue {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(buffer: buffer, options: options) }
        }
        if let contiguous { return try contiguous.get() }
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) in try parse(buffer: buffer, options: options) }
        }.get()
    }

    /// Parses the UTF-8 encoding of `text`.
    public static func parse(_ text: String, options: JSONParseOptions = .standard) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(buffer: buffer, options: options) }
        }.get()
    }

    private static func parse(
        buffer: UnsafeBufferPointer<UInt8>,
        options: JSONParseOptions
    ) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: buffer, options: options)
        return try parser.parseDocument()
    }
}

/// A recursive-descent parser over raw bytes; works on the buffer directly so large bodies parse quickly.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let options: JSONParseOptions
    private var position = 0
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, options: JSONParseOptions) {
        self.bytes = bytes
        self.options = options
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else {
            throw failure("Unexpected \(ASCII.describe(bytes[position])) after the JSON value")
        }
        return value
    }

    private func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(message, offset: offset ?? position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case ASCII.space, ASCII.tab, ASCII.newline, ASCII.carriageReturn: position += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("Unexpected end of input") }
        switch bytes[position] {
        case ASCII.openBrace: return try parseObject()
        case ASCII.openBracket: return try parseArray()
        case ASCII.quote: return .string(try parseString())
        case ASCII.lowercaseT: try expectLiteral("true"); return .bool(true)
        case ASCII.lowercaseF: try expectLiteral("false"); return .bool(false)
        case ASCII.lowercaseN: try expectLiteral("null"); return .null
        case ASCII.minus, ASCII.zero...ASCII.nine: return try parseNumber()
        case let byte: throw failure("Unexpected \(ASCII.describe(byte))")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard bytes.count - position >= expected.count,
              UnsafeBufferPointer(rebasing: bytes[position ..< position + expected.count]).elementsEqual(expected)
        else { throw failure("Invalid literal, expected '\(literal)'") }
        position += expected.count
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= options.maxDepth else {
            throw failure("JSON nested deeper than \(options.maxDepth) levels")
        }
        position += 1
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var members = JSONObject()
        skipWhitespace()
        if position < bytes.count, bytes[position] == ASCII.closeBrace {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw failure("Unterminated object") }
            guard bytes[position] == ASCII.quote else {
                throw failure("Expected a string key, found \(ASCII.describe(bytes[position]))")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == ASCII.colon else {
                throw failure("Expected ':' after object key")
            }
            position += 1
            let value = try parseValue()
            members[key] = value
            skipWhitespace()
            guard position < bytes.count else { throw failure("Unterminated object") }
            switch bytes[position] {
            case ASCII.comma: position += 1
            case ASCII.closeBrace: position += 1; return .object(members)
            case let byte: throw failure("Expected ',' or '}' in object, found \(ASCII.describe(byte))")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == ASCII.closeBracket {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw failure("Unterminated array") }
            switch bytes[position] {
            case ASCII.comma: position += 1
            case ASCII.closeBracket: position += 1; return .array(elements)
            case let byte: throw failure("Expected ',' or ']' in array, found \(ASCII.describe(byte))")
            }
        }
    }

    // MARK: Strings

    /// Parses a string starting at its opening quote. Unescaped runs are copied straight from the input.
    private mutating func parseString() throws(JSONParseError) -> String {
        let openingQuote = position
        position += 1
        var runStart = position
        var unescaped: [UInt8]? = nil
        while position < bytes.count {
            let byte = bytes[position]
            if byte == ASCII.quote {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart ..< position])
                position += 1
                guard var unescaped else { return String(decoding: run, as: UTF8.self) }
                unescaped.append(contentsOf: run)
                return String(decoding: unescaped, as: UTF8.self)
            }
            if byte == ASCII.backslash {
                var buffer = unescaped ?? []
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart ..< position]))
                try parseEscape(into: &buffer)
                unescaped = buffer
                runStart = position
            } else if byte < 0x20 {
                throw failure("Unescaped control character in string")
            } else if byte < 0x80 {
                position += 1
            } else {
                try skipMultibyteScalar()
            }
        }
        throw failure("Unterminated string", at: openingQuote)
    }

    /// Advances over one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and values above U+10FFFF.
    private mutating func skipMultibyteScalar() throws(JSONParseError) {
        let lead = bytes[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80 ... 0xBF
        switch lead {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0 ... 0xBF
        case 0xED: length = 3; secondRange = 0x80 ... 0x9F
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xF0: length = 4; secondRange = 0x90 ... 0xBF
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80 ... 0x8F
        default: throw failure("Invalid UTF-8")
        }
        guard bytes.count - position >= length, secondRange.contains(bytes[position + 1]) else {
            throw failure("Invalid UTF-8")
        }
        for offset in 2 ..< length where bytes[position + offset] & 0xC0 != 0x80 {
            throw failure("Invalid UTF-8")
        }
        position += length
    }

    /// Decodes the escape at `position` (a backslash) and appends its UTF-8 encoding.
    private mutating func parseEscape(into buffer: inout [UInt8]) throws(JSONParseError) {
        let escapeOffset = position
        guard position + 1 < bytes.count else { throw failure("Unterminated string") }
        let kind = bytes[position + 1]
        position += 2
        switch kind {
        case ASCII.quote, ASCII.backslash, ASCII.slash: buffer.append(kind)
        case ASCII.lowercaseB: buffer.append(ASCII.backspace)
        case ASCII.lowercaseF: buffer.append(ASCII.formFeed)
        case ASCII.lowercaseN: buffer.append(ASCII.newline)
        case ASCII.lowercaseR: buffer.append(ASCII.carriageReturn)
        case ASCII.lowercaseT: buffer.append(ASCII.tab)
        case ASCII.lowercaseU:
            let unit = try parseHexQuad()
            let scalarValue: UInt32
            switch unit {
            case 0xD800 ..< 0xDC00:
                guard bytes.count - position >= 2, bytes[position] == ASCII.backslash,
                      bytes[position + 1] == ASCII.lowercaseU
                else { throw failure("Unpaired UTF-16 surrogate in \\u escape", at: escapeOffset) }
                position += 2
                let low = try parseHexQuad()
                guard (0xDC00 ..< 0xE000).contains(low) else {
                    throw failure("Unpaired UTF-16 surrogate in \\u escape", at: escapeOffset)
                }
                scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00 ..< 0xE000:
                throw failure("Unpaired UTF-16 surrogate in \\u escape", at: escapeOffset)
            default:
                scalarValue = unit
            }
            Self.appendUTF8(scalarValue, to: &buffer)
        default:
            throw failure("Invalid escape sequence '\\\(Character(Unicode.Scalar(kind)))'", at: escapeOffset)
        }
    }

    /// Appends a scalar value already known to be valid (not a surrogate, at most U+10FFFF).
    private static func appendUTF8(_ value: UInt32, to buffer: inout [UInt8]) {
        switch value {
        case ..<0x80:
            buffer.append(UInt8(value))
        case ..<0x800:
            buffer.append(UInt8(0xC0 | value >> 6))
            buffer.append(UInt8(0x80 | value & 0x3F))
        case ..<0x10000:
            buffer.append(UInt8(0xE0 | value >> 12))
            buffer.append(UInt8(0x80 | value >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | value & 0x3F))
        default:
            buffer.append(UInt8(0xF0 | value >> 18))
            buffer.append(UInt8(0x80 | value >> 12 & 0x3F))
            buffer.append(UInt8(0x80 | value >> 6 & 0x3F))
            buffer.append(UInt8(0x80 | value & 0x3F))
        }
    }

    private mutating func parseHexQuad() throws(JSONParseError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw failure("Truncated \\u escape") }
        var value: UInt32 = 0
        for offset in 0 ..< 4 {
            guard let digit = ASCII.hexValue(bytes[position + offset]) else {
                throw failure("Invalid hex digit in \\u escape", at: position + offset)
            }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        let negative = bytes[position] == ASCII.minus
        if negative { position += 1 }
        guard position < bytes.count, ASCII.isDigit(bytes[position]) else {
            throw failure("Invalid number", at: start)
        }
        let digitsStart = position
        if bytes[position] == ASCII.zero {
            position += 1
            if position < bytes.count, ASCII.isDigit(bytes[position]) {
                throw failure("Leading zeros are not allowed in numbers", at: start)
            }
        } else {
            skipDigits()
        }
        let digitsEnd = position
        var isInteger = true
        if position < bytes.count, bytes[position] == ASCII.dot {
            position += 1
            try requireDigits(numberStart: start)
            isInteger = false
        }
        if position < bytes.count, bytes[position] == ASCII.lowercaseE || bytes[position] == ASCII.uppercaseE {
            position += 1
            if position < bytes.count, bytes[position] == ASCII.plus || bytes[position] == ASCII.minus {
                position += 1
            }
            try requireDigits(numberStart: start)
            isInteger = false
        }
        let literal = UnsafeBufferPointer(rebasing: bytes[start ..< position])
        if isInteger {
            return try integer(literal: literal, digits: bytes[digitsStart ..< digitsEnd], negative: negative, start: start)
        }
        guard options.allowsNonIntegers else {
            throw failure("Numbers with a fraction or exponent are not allowed", at: start)
        }
        guard let value = Double(String(decoding: literal, as: UTF8.self)), value.isFinite else {
            throw failure("Number out of range", at: start)
        }
        return .double(value)
    }

    private mutating func skipDigits() {
        while position < bytes.count, ASCII.isDigit(bytes[position]) { position += 1 }
    }

    private mutating func requireDigits(numberStart: Int) throws(JSONParseError) {
        guard position < bytes.count, ASCII.isDigit(bytes[position]) else {
            throw failure("Invalid number", at: numberStart)
        }
        skipDigits()
    }

    /// An integer within 64 bits and `options.integerRange`, or beyond 64 bits when the options allow it, up to
    /// the digits Python's `int` reads.
    private func integer(
        literal: UnsafeBufferPointer<UInt8>,
        digits: Slice<UnsafeBufferPointer<UInt8>>,
        negative: Bool,
        start: Int
    ) throws(JSONParseError) -> JSONValue {
        guard let value = Self.int64(digits: digits, negative: negative) else {
            guard options.allowsBigIntegers, digits.count <= JSONParseOptions.maximumIntegerDigits else {
                throw failure("Integer out of range", at: start)
            }
            return .bigInteger(String(decoding: literal, as: UTF8.self))
        }
        guard options.integerRange.contains(value) else { throw failure("Integer out of range", at: start) }
        return .integer(value)
    }

    /// Accumulates negatively so that `Int64.min` is representable; `nil` beyond 64 bits.
    private static func int64(digits: Slice<UnsafeBufferPointer<UInt8>>, negative: Bool) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            let (shifted, overflowMultiplying) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowSubtracting) = shifted.subtractingReportingOverflow(Int64(digit - ASCII.zero))
            guard !overflowMultiplying, !overflowSubtracting else { return nil }
            value = next
        }
        if negative { return value }
        return value == .min ? nil : -value
    }
}
