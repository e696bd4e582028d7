import MatrixCrypto
public import MatrixTypes

/// A checked `/keys/upload` body: the device's identity keys, new one-time keys and fallback keys.
public struct KeyUpload: Sendable {
    /// A key named `algorithm:key_id` with its JSON (a string, or a signed key object).
    struct NamedKey: Sendable {
        var algorithm: String
        var keyID: String
        var value: JSONValue
    }

    var deviceKeys: JSONValue?
    var oneTimeKeys: [NamedKey]
    /// At most one per algorithm: the last by key name, in byte order, when several are given.
    var fallbackKeys: [NamedKey]

    /// The most one-time keys one upload may carry (clients send tens at a time), and fallback keys (one per
    /// algorithm; clients have one).
    static let maximumOneTimeKeys = 1_000
    static let maximumFallbackKeys = 16

    /// Reads `body` for `requester`'s device. Device keys must name the requester's user and device and carry a valid
    /// signature by their own Ed25519 key (Synapse stores them unchecked; a device cannot prove anything without it).
    public init(body: JSONObject, requester: Requester) throws(E2EEError) {
        // An empty object uploads nothing, as Synapse reads it.
        if let keys = body["device_keys"], keys != .null, keys.objectValue?.isEmpty != true {
            deviceKeys = try Self.checkedDeviceKeys(keys, user: requester.userID.rawValue, device: requester.deviceID)
        }
        oneTimeKeys = try Self.namedKeys(body["one_time_keys"], field: "one_time_keys")
        guard oneTimeKeys.count <= Self.maximumOneTimeKeys else {
            throw .tooMany("At most \(Self.maximumOneTimeKeys) one-time keys may be uploaded at once")
        }
        let fallback = try Self.namedKeys(body["fallback_keys"] ?? body["org.matrix.msc2732.fallback_keys"], field: "fallback_keys")
        guard fallback.count <= Self.maximumFallbackKeys else { throw .tooMany("At most \(Self.maximumFallbackKeys) fallback keys") }
        var latest: [JSONKey: NamedKey] = [:]
        for key in fallback.sorted(by: { $0.keyID.utf8.lexicographicallyPrecedes($1.keyID.utf8) }) {
            latest[JSONKey(key.algorithm)] = key
        }
        fallbackKeys = Array(latest.values)
    }

    private static func checkedDeviceKeys(_ keys: JSONValue, user: String, device: String) throws(E2EEError) -> JSONValue {
        guard keys.objectValue != nil else { throw .invalid("device_keys must be an object") }
        guard let userID = keys["user_id"]?.stringValue, userID.hasSameBytes(as: user) else {
            throw .invalid("User ID in device keys does not match the requester")
        }
        guard let deviceID = keys["device_id"]?.stringValue, deviceID.hasSameBytes(as: device) else {
            throw .invalid("Device ID in device keys does not match the requester's device")
        }
        guard let algorithms = keys["algorithms"]?.arrayValue, algorithms.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("device_keys.algorithms must be a list of strings")
        }
        guard let identity = keys["keys"]?.objectValue, identity.values.allSatisfy({ $0.stringValue != nil }) else {
            throw .invalid("device_keys.keys must be an object of strings")
        }
        let signingKeyID = "ed25519:" + device
        guard let signingKey = identity[signingKeyID]?.stringValue else { throw .invalid("device_keys.keys lacks \(signingKeyID)") }
        do {
            try VerifyKey(keyID: signingKeyID, base64: signingKey).verify(json: keys, signedBy: user)
        } catch {
            throw .invalid("The device keys' signature by \(signingKeyID) does not verify")
        }
        return keys
    }

    /// `{"algorithm:key_id": key}` as named keys; each key a string or an object.
    private static func namedKeys(_ value: JSONValue?, field: String) throws(E2EEError) -> [NamedKey] {
        guard let value, value != .null else { return [] }
        guard let object = value.objectValue else { throw .invalid("\(field) must be an object") }
        var keys: [NamedKey] = []
        for (name, key) in object {
            let parts = name.unicodeScalars.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .invalid("\(field) key \(name) is not algorithm:key_id") }
            try E2EEError.refusingNUL(name, in: field)
            guard key.stringValue != nil || key.objectValue != nil else { throw .invalid("\(field).\(name) must be a string or an object") }
            keys.append(NamedKey(algorithm: String(String.UnicodeScalarView(parts[0])), keyID: String(String.UnicodeScalarView(parts[1])), value: key))
        }
        return keys
    }
}
