import MatrixTypes

/// Reading one power level value. From room v10 only integers count; earlier versions also accept numeric strings
/// (`" +050 "`) and floats (truncated), for compatibility with early servers.
enum PowerLevelValue {
    static func parse(_ value: JSONValue, version: RoomVersion) -> Int64? {
        switch value {
        case .integer(let integer):
            return integer
        case .double(let double) where !version.authRules.requiresIntegerPowerLevels:
            guard double.isFinite else { return nil }
            return Int64(exactly: double.rounded(.towardZero))
        case .string(let text) where !version.authRules.requiresIntegerPowerLevels:
            return parse(numericString: text)
        default:
            return nil
        }
    }

    /// Base-10 digits with an optional sign, surrounded by any whitespace.
    private static func parse(numericString text: String) -> Int64? {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        var negative = false
        if let sign = trimmed.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            trimmed.removeFirst()
        }
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        var result: Int64 = 0
        for digit in trimmed.utf8 {
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            let value = Int64(digit - UInt8(ascii: "0"))
            let (sum, overflowB) = negative ? shifted.subtractingReportingOverflow(value) : shifted.addingReportingOverflow(value)
            guard !overflowA, !overflowB else { return nil }
            result = sum
        }
        return result
    }
}
