extension StringProtocol {
    /// Whether both strings hold the same UTF-8 bytes.
    ///
    /// Matrix compares identifiers, event types and state keys as opaque byte strings, whereas Swift's `==` treats
    /// canonically equivalent strings (precomposed and decomposed "é") as equal.
    public func hasSameBytes(as other: some StringProtocol) -> Bool {
        utf8.elementsEqual(other.utf8)
    }

    /// Byte-wise (code point) ordering, as state resolution sorts event IDs.
    public func precedesBytewise(_ other: some StringProtocol) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }
}

extension String {
    /// ``StringProtocol/hasSameBytes(as:)`` for two strings, without generic dispatch on hot paths.
    public func hasSameBytes(as other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }
}
