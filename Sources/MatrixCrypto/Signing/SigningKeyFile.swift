/// Synapse's signing key file (`signing_key_path`): one key per line, `ed25519 <version> <unpadded base64 seed>`.
/// Reading and writing the same format lets an operator move a key between Synapse and Axon.
extension SigningKey {
    /// Parses every key in the file; blank lines are ignored, at least one key is required.
    public static func parseKeyFile(_ contents: String) throws(SigningKeyFileError) -> [SigningKey] {
        var keys: [SigningKey] = []
        // Split on bytes: as Characters, "\r\n" is a single grapheme that equals neither "\r" nor "\n".
        let lines = contents.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let fields = line.split(whereSeparator: isFieldSeparator).map { String(Substring($0)) }
            if fields.isEmpty { continue }
            let lineNumber = index + 1
            guard fields.count == 3 else {
                throw SigningKeyFileError(line: lineNumber, "expected '<algorithm> <version> <base64 seed>'")
            }
            guard fields[0] == algorithm else {
                throw SigningKeyFileError(line: lineNumber, "unsupported key algorithm '\(fields[0])'")
            }
            guard let seed = UnpaddedBase64.decode(fields[2]) else {
                throw SigningKeyFileError(line: lineNumber, "the key is not valid base64")
            }
            do {
                keys.append(try SigningKey(seed: seed, version: fields[1]))
            } catch {
                throw SigningKeyFileError(line: lineNumber, error.description)
            }
        }
        guard !keys.isEmpty else { throw SigningKeyFileError(line: nil, "the file contains no signing key") }
        return keys
    }

    private static func isFieldSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// The file contents for `keys`, one line each, ending with a newline.
    public static func keyFileContents(_ keys: [SigningKey]) -> String {
        keys.map { $0.keyFileLine + "\n" }.joined()
    }

    /// This key as one line of a signing key file (without the newline).
    public var keyFileLine: String {
        "\(Self.algorithm) \(version) \(UnpaddedBase64.encode(seed))"
    }
}

public struct SigningKeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line the problem is on; `nil` when it concerns the whole file.
    public var line: Int?
    public var message: String

    public init(line: Int?, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let line else { return "Signing key file: \(message)" }
        return "Signing key file, line \(line): \(message)"
    }
}
