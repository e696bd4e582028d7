import Crypto

/// Access tokens are stored only as their SHA-256: they are long random strings, so a fast hash is enough to
/// make a leaked database useless for impersonation.
enum TokenHash {
    static func of(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
