/// The two RFC 4648 alphabets Matrix uses: standard for keys, signatures and hashes, URL-safe for
/// event IDs of room version 4 and later.
public enum Base64Alphabet: Sendable, Hashable {
    case standard
    case urlSafe

    fileprivate var characters: [UInt8] {
        switch self {
        case .standard: Base64Tables.standard
        case .urlSafe: Base64Tables.urlSafe
        }
    }

    fileprivate var decodingTable: [UInt8] {
        switch self {
        case .standard: Base64Tables.standardDecoding
        case .urlSafe: Base64Tables.urlSafeDecoding
        }
    }
}

/// Base64 without `=` padding, as the spec's appendix defines it.
public enum UnpaddedBase64 {
    public static func encode(_ bytes: some Collection<UInt8>, alphabet: Base64Alphabet = .standard) -> String {
        let input = Array(bytes)
        let characters = alphabet.characters
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= input.count {
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            output.append(characters[Int(group >> 18 & 0x3F)])
            output.append(characters[Int(group >> 12 & 0x3F)])
            output.append(characters[Int(group >> 6 & 0x3F)])
            output.append(characters[Int(group & 0x3F)])
            index += 3
        }
        switch input.count - index {
        case 1:
            let group = UInt32(input[index]) << 16
            output.append(characters[Int(group >> 18 & 0x3F)])
            output.append(characters[Int(group >> 12 & 0x3F)])
        case 2:
            let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
            output.append(characters[Int(group >> 18 & 0x3F)])
            output.append(characters[Int(group >> 12 & 0x3F)])
            output.append(characters[Int(group >> 6 & 0x3F)])
        default:
            break
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes with or without padding (the spec asks implementations to accept both);
    /// `nil` for characters outside `alphabet` or an impossible length.
    public static func decode(_ text: some StringProtocol, alphabet: Base64Alphabet = .standard) -> [UInt8]? {
        var characters = Array(text.utf8)
        if characters.count % 4 == 0 {
            for _ in 0 ..< 2 where characters.last == 0x3D { characters.removeLast() }
        }
        guard characters.count % 4 != 1 else { return nil }
        let table = alphabet.decodingTable
        var output: [UInt8] = []
        output.reserveCapacity(characters.count * 3 / 4)
        var group: UInt32 = 0
        var bitCount = 0
        for character in characters {
            let value = table[Int(character)]
            guard value != Base64Tables.invalid else { return nil }
            group = group << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: group >> UInt32(bitCount)))
            }
        }
        return output
    }
}

private enum Base64Tables {
    static let invalid: UInt8 = 0xFF
    static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    static let standardDecoding = decodingTable(for: standard)
    static let urlSafeDecoding = decodingTable(for: urlSafe)

    private static func decodingTable(for characters: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in characters.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }
}
