import MatrixTypes

/// Reading one power level value. From room v10 only integers count; earlier versions read values as Synapse's
/// `int()` does, for compatibility with early servers: booleans (`true` is 1), floats (truncated), and numeric
/// strings (`" +050 "`).
enum PowerLevelValue {
    static func parse(_ value: JSONValue, version: RoomVersion) -> Int64? {
        switch value {
        case .integer(let integer):
            return integer
        case .double(let double) where !version.authRules.requiresIntegerPowerLevels:
            guard double.isFinite else { return nil }
            return Int64(exactly: double.rounded(.towardZero))
        case .bool(let flag) where !version.authRules.requiresIntegerPowerLevels:
            return flag ? 1 : 0
        case .string(let text) where !version.authRules.requiresIntegerPowerLevels:
            return parse(numericString: text)
        default:
            return nil
        }
    }

    /// Python's `int(str)`: optional surrounding whitespace, an optional sign, then decimal digits of any script
    /// (`"٣"` is 3), single underscores allowed between digits.
    private static func parse(numericString text: String) -> Int64? {
        var scalars = Substring(text).unicodeScalars
        // `int()` strips exactly Unicode's White_Space characters.
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var negative = false
        if let sign = scalars.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            scalars.removeFirst()
        }
        var result: Int64 = 0
        var previousWasDigit = false
        for scalar in scalars {
            if scalar == "_" {
                guard previousWasDigit else { return nil }
                previousWasDigit = false
                continue
            }
            guard let value = digitValue(scalar) else { return nil }
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative ? shifted.subtractingReportingOverflow(value) : shifted.addingReportingOverflow(value)
            guard !overflowA, !overflowB else { return nil }
            result = sum
            previousWasDigit = true
        }
        return previousWasDigit ? result : nil
    }

    /// A decimal digit as Python 3.11 knows them (Unicode 14): digits of later Unicode versions are not numbers to
    /// it, so they must not be to Axon either.
    private static func digitValue(_ scalar: Unicode.Scalar) -> Int64? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue,
              let age = scalar.properties.age, age.major < 14 || (age.major == 14 && age.minor == 0)
        else { return nil }
        return Int64(value)
    }
}
