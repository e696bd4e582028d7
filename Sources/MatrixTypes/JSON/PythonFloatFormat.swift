/// Writes a double as Python's `repr(float)` does, which is how Synapse's JSON encoder writes floats.
///
/// Rooms v1–v5 allow floats in events, and their hashes, signatures and event IDs cover Synapse's bytes for them:
/// `1e+16`, `1e-05`, `1000000000000000.0`, `0.1`, `-0.0`. Swift's `description` differs (`1e-05` but `1e+16` only
/// from 2^53 up, for example), so only its digits are used.
enum PythonFloatFormat {
    /// The shortest digits that round-trip (what both Python and Swift produce), laid out by Python's rules:
    /// exponent form when the decimal exponent is below -4 or at least 16, written `e+XX`/`e-XX` with at least two
    /// digits; otherwise positional with `.0` added to integral values. `value` must be finite.
    static func repr(_ value: Double) -> String {
        precondition(value.isFinite, "Python's JSON encoder refuses non-finite floats")
        let sign = value.sign == .minus ? "-" : ""
        let (digits, pointPosition) = shortestDigits(value.magnitude)
        guard let leading = digits.first else { return sign + "0.0" }
        if pointPosition <= -4 || pointPosition > 16 {
            let exponent = pointPosition - 1
            let magnitude = exponent.magnitude < 10 ? "0\(exponent.magnitude)" : "\(exponent.magnitude)"
            let fraction = digits.count > 1 ? "." + digits.dropFirst() : ""
            return sign + String(leading) + fraction + (exponent < 0 ? "e-" : "e+") + magnitude
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// The shortest round-tripping significant digits of a non-negative finite `value` (no leading or trailing
    /// zeros; empty for zero) and where the decimal point goes: `value == 0.<digits> × 10^pointPosition`.
    /// Read from Swift's `description`, whatever layout it chose.
    private static func shortestDigits(_ value: Double) -> (digits: String, pointPosition: Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponent = parts.count == 2 ? Int(parts[1])! : 0
        var digits = mantissa.filter { $0 != "." }
        var pointPosition = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count) + exponent
        while digits.first == "0" {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits, pointPosition)
    }
}
