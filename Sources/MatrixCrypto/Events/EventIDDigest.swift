import Crypto
import MatrixTypes

extension EventID {
    /// Lowercase hex SHA-1 of the ID's UTF-8 bytes; room v1's state resolution breaks ties between events with it.
    public var sha1HexDigest: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in Insecure.SHA1.hash(data: Array(rawValue.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
