import MatrixCrypto
public import MatrixTypes

/// A cross-signing key as uploaded: `{user_id, usage, keys: {"ed25519:<public key>": "<public key>"}, signatures}`.
struct CrossSigningKey: Sendable {
    enum Usage: String, Sendable, CaseIterable {
        case master
        case selfSigning = "self_signing"
        case userSigning = "user_signing"

        /// The upload body's field for this key.
        var field: String { rawValue + "_key" }
    }

    let json: JSONValue
    let usage: Usage
    /// The unpadded base64 public key, which is also its key ID after `ed25519:`.
    let publicKey: String

    var verifyKey: VerifyKey? { try? VerifyKey(keyID: "ed25519:" + publicKey, base64: publicKey) }

    /// Checks `json` is `user`'s key for `usage`, with exactly one Ed25519 public key.
    init(_ json: JSONValue, usage: Usage, user: UserID) throws(E2EEError) {
        guard json.objectValue != nil else { throw .invalid("\(usage.field) must be an object") }
        guard let owner = json["user_id"]?.stringValue, owner.hasSameBytes(as: user.rawValue) else {
            throw .invalid("\(usage.field).user_id must be the requester")
        }
        guard let usages = json["usage"]?.arrayValue?.compactMap(\.stringValue), usages.contains(usage.rawValue) else {
            throw .invalid("\(usage.field).usage must contain \(usage.rawValue)")
        }
        guard let publicKey = Self.publicKey(of: json), (try? VerifyKey(keyID: "ed25519:" + publicKey, base64: publicKey)) != nil else {
            throw .invalid("\(usage.field).keys must hold exactly one ed25519 key, named by itself")
        }
        self.json = json
        self.usage = usage
        self.publicKey = publicKey
    }

    /// The one public key of a stored or uploaded key, when it is well formed.
    static func publicKey(of json: JSONValue) -> String? {
        guard let keys = json["keys"]?.objectValue, keys.count == 1, let (name, value) = keys.sortedByKey().first,
            let key = value.stringValue, name.hasSameBytes(as: "ed25519:" + key)
        else { return nil }
        return key
    }

    /// Whether `other` is the same key, signatures aside.
    func sameKey(as other: JSONValue) -> Bool {
        Self.unsigned(json) == Self.unsigned(other)
    }

    static func unsigned(_ json: JSONValue) -> JSONValue {
        guard var object = json.objectValue else { return json }
        _ = object.removeValue(forKey: "signatures")
        return .object(object)
    }
}
