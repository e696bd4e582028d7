public import MatrixCrypto
public import MatrixTypes

/// What this server answers at `/_matrix/key/v2/server` (spec "Publishing Keys"): its current verify key, the keys
/// it used before (`old_signing_keys`, still valid for events signed while they were in use), and until when other
/// servers may cache the answer, signed with the current key.
public struct ServerKeyPublication: Sendable {
    /// A key this server signed with before, published with when it stopped.
    public struct RetiredKey: Sendable, Hashable {
        public var key: VerifyKey
        /// Milliseconds since the epoch.
        public var expiredTimestamp: Int64

        public init(key: VerifyKey, expiredTimestamp: Int64) {
            self.key = key
            self.expiredTimestamp = expiredTimestamp
        }
    }

    let serverName: ServerName
    let signingKey: SigningKey
    let retired: [RetiredKey]
    /// How long others may cache the answer (`key_refresh_interval`), in milliseconds.
    let validity: Int64
    let clock: @Sendable () -> Int64

    public init(
        serverName: ServerName, signingKey: SigningKey, retired: [RetiredKey], validity: Int64,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.serverName = serverName
        self.signingKey = signingKey
        self.retired = retired.filter { !$0.key.keyID.hasSameBytes(as: signingKey.keyID) }
        self.validity = validity
        self.clock = clock
    }

    /// This server's key `keyID` if it was in use at `timestamp` (milliseconds; 0 when any time will do): the current
    /// key, or a retired one up to when it stopped, as other servers read `old_verify_keys`.
    public func verifyKey(_ keyID: String, validAt timestamp: Int64) -> VerifyKey? {
        if keyID.hasSameBytes(as: signingKey.keyID) { return signingKey.verifyKey }
        guard let old = retired.first(where: { $0.key.keyID.hasSameBytes(as: keyID) }), timestamp <= old.expiredTimestamp else { return nil }
        return old.key
    }

    /// The signed key document, valid from now for `validity`.
    public func document() throws(JSONSigningError) -> JSONValue {
        var old: JSONObject = [:]
        for retiredKey in retired {
            old[retiredKey.key.keyID] = ["key": .string(retiredKey.key.base64), "expired_ts": .integer(retiredKey.expiredTimestamp)]
        }
        let document: JSONValue = [
            "server_name": .string(serverName.rawValue),
            "valid_until_ts": .integer(clock() + validity),
            "verify_keys": .object([signingKey.keyID: ["key": .string(signingKey.verifyKey.base64)]]),
            "old_verify_keys": .object(old),
        ]
        return try signingKey.sign(json: document, as: serverName.rawValue)
    }
}
