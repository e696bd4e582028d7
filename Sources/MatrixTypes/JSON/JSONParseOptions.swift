/// Limits applied while parsing, so that oversized or non-canonical input is refused before anything uses it.
public struct JSONParseOptions: Sendable, Hashable {
    /// Deepest nesting of arrays and objects accepted; bounds recursion on hostile input.
    public var maxDepth: Int
    /// Integers outside this range are rejected.
    public var integerRange: ClosedRange<Int64>
    /// Whether integers beyond 64 bits are accepted, as ``JSONValue/bigInteger(_:)``; `integerRange` then applies
    /// only to those within 64 bits.
    public var allowsBigIntegers: Bool
    /// Whether numbers with a fraction or exponent are accepted (as `.double`).
    public var allowsNonIntegers: Bool

    public init(
        maxDepth: Int = 512,
        integerRange: ClosedRange<Int64> = .min ... .max,
        allowsBigIntegers: Bool = true,
        allowsNonIntegers: Bool = true
    ) {
        self.maxDepth = maxDepth
        self.integerRange = integerRange
        self.allowsBigIntegers = allowsBigIntegers
        self.allowsNonIntegers = allowsNonIntegers
    }

    /// Any RFC 8259 JSON Python's `json` module reads, as Synapse reads request bodies and events of rooms v1–v5:
    /// floats and integers of up to ``maximumIntegerDigits`` digits.
    public static let standard = JSONParseOptions()

    /// Only what canonical JSON can represent: integers in [-(2^53)+1, 2^53-1], no fractions or exponents.
    /// Events of room versions 6 and later must satisfy this.
    public static let canonical = JSONParseOptions(
        integerRange: JSONValue.canonicalIntegerRange,
        allowsBigIntegers: false,
        allowsNonIntegers: false
    )

    /// Python refuses to convert longer digit strings to `int` (its default `sys.get_int_max_str_digits()`), so
    /// Synapse refuses JSON holding such an integer.
    public static let maximumIntegerDigits = 4300
}

extension JSONValue {
    /// The integers canonical JSON allows: those a double represents exactly.
    public static let canonicalIntegerRange: ClosedRange<Int64> = -(1 << 53) + 1 ... (1 << 53) - 1
}
