import MatrixTypes
import MatrixCrypto

/// Synapse's access-token shape, `syt_<base64 localpart>_<20 random letters>_<base62 CRC-32>`.
///
/// The localpart lets a reverse proxy pin `/sync` for one user to one worker without a database lookup;
/// the check digits let a typo be told apart from a revoked token in logs and tools.
enum AccessTokenFormat {
    static func generate(localpart: String) -> String {
        let base = "syt_\(UnpaddedBase64.encode(Array(localpart.utf8)))_\(SecureRandom.letters(20))"
        return "\(base)_\(base62(CRC32.checksum(base.utf8)).leftPadded(to: 6))"
    }

    private static let base62Digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func base62(_ value: UInt32) -> String {
        var remaining = value
        var digits: [Character] = []
        while remaining > 0 {
            digits.append(base62Digits[Int(remaining % 62)])
            remaining /= 62
        }
        return String(digits.reversed())
    }
}
