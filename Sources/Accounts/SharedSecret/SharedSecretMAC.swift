import Crypto

/// The HMAC that proves a `/_synapse/admin/v1/register` request was made by someone holding
/// `registration_shared_secret`: HMAC-SHA1 over the NUL-separated nonce, username, password, `admin` or
/// `notadmin`, and the user type when there is one, in lower-case hex. Synapse's server and
/// `register_new_matrix_user` compute exactly this, so either side interoperates with the other.
public enum SharedSecretMAC {
    public static func hex(secret: String, nonce: String, username: String, password: String, admin: Bool, userType: String?) -> String {
        var fields = [nonce, username, password, admin ? "admin" : "notadmin"]
        if let userType, !userType.isEmpty { fields.append(userType) }
        let message = Array(fields.joined(separator: "\0").utf8)
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return mac.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Compares in time independent of where the two differ, so the expected MAC cannot be found byte by byte.
    static func matches(_ given: String, expected: String) -> Bool {
        let lhs = Array(given.utf8)
        let rhs = Array(expected.utf8)
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
