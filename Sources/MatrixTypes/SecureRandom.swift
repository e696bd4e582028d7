/// Random identifiers in the alphabets Synapse uses, drawn from the system's cryptographic generator.
public enum SecureRandom {
    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    private static let uppercase = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// ASCII letters, as Synapse's `random_string` (token bodies, UIA session IDs).
    public static func letters(_ count: Int) -> String {
        pick(count, from: letters)
    }

    /// Whether `byte` is one of the ASCII letters `letters(_:)` draws from.
    public static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    /// Upper-case letters, as Synapse's generated device IDs.
    public static func uppercaseLetters(_ count: Int) -> String {
        pick(count, from: uppercase)
    }

    /// Whether `byte` is a digit `hex(bytes:)` writes.
    public static func isLowercaseHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// `count` random bytes as lower-case hex, as Python's `secrets.token_hex`.
    public static func hex(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }

    private static func pick(_ count: Int, from alphabet: [Character]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
