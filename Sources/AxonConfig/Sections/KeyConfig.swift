import MatrixTypes

/// The server's signing key and the notaries it trusts for other servers' keys.
public struct KeyConfig: Sendable, Hashable {
    /// `signing_key_path`, absolute. Synapse's default is `<server_name>.signing.key` next to the last
    /// config file, which is where `--generate-config` writes it.
    public var signingKeyPath: String
    /// `old_signing_keys`: retired verify keys still served so old signatures verify, by key ID.
    public var oldSigningKeys: [String: OldSigningKey] = [:]
    /// `key_refresh_interval` in milliseconds: how long other servers may cache our keys.
    public var keyRefreshInterval = 86_400_000
    /// `trusted_key_servers`; `[matrix.org]` when neither it nor `perspectives` is set.
    public var trustedKeyServers = [TrustedKeyServer(serverName: "matrix.org")]
    /// `suppress_key_server_warning`: silence the advice about trusting matrix.org.
    public var suppressKeyServerWarning = false
    /// `key_server_signing_keys_path`: keys used to sign notary responses instead of the signing key.
    public var keyServerSigningKeysPath: String?

    public init(signingKeyPath: String) {
        self.signingKeyPath = signingKeyPath
    }
}

public struct OldSigningKey: Sendable, Hashable {
    /// Unpadded base64 of the public key.
    public var key: String
    /// When the key stopped being used, in milliseconds since the epoch.
    public var expiredTimestamp: Int

    public init(key: String, expiredTimestamp: Int) {
        self.key = key
        self.expiredTimestamp = expiredTimestamp
    }
}

public struct TrustedKeyServer: Sendable, Hashable {
    public var serverName: String
    /// Keys, by key ID, that the notary's responses must be signed with; `nil` trusts whatever key it
    /// serves over TLS.
    public var verifyKeys: [String: String]?
    /// `accept_keys_insecurely`: allow a notary without `verify_keys` even when certificates are not verified.
    public var acceptKeysInsecurely: Bool

    public init(serverName: String, verifyKeys: [String: String]? = nil, acceptKeysInsecurely: Bool = false) {
        self.serverName = serverName
        self.verifyKeys = verifyKeys
        self.acceptKeysInsecurely = acceptKeysInsecurely
    }
}

extension KeyConfig {
    init(from root: MappingReader, serverName: String, paths: PathResolver) {
        if root.has("signing_key") {
            root.error("signing_key", "inline signing keys are not supported; put the key in a file named by `signing_key_path`")
        }
        let path = root.string("signing_key_path").map(paths.absolute) ?? "\(paths.configDirectory)/\(serverName).signing.key"
        self.init(signingKeyPath: path)
        keyRefreshInterval = root.duration("key_refresh_interval") ?? keyRefreshInterval
        suppressKeyServerWarning = root.bool("suppress_key_server_warning", default: false)
        keyServerSigningKeysPath = root.string("key_server_signing_keys_path").map(paths.absolute)
        if let servers = root.value("trusted_key_servers")?.list() {
            trustedKeyServers = servers.compactMap { $0.mapping().flatMap(Self.trustedKeyServer) }
        } else if root.has("perspectives") || root.isNull("trusted_key_servers") {
            trustedKeyServers = []
        }
        if let old = root.mapping("old_signing_keys") {
            for (keyID, _) in old.unreadKeys {
                guard let entry = old.mapping(keyID) else { continue }
                let key = entry.required("key")?.string()
                let expired = entry.required("expired_ts")?.int()
                entry.warnAboutUnknownKeys()
                if let key, let expired { oldSigningKeys[keyID] = OldSigningKey(key: key, expiredTimestamp: expired) }
            }
        }
    }

    private static func trustedKeyServer(_ reader: MappingReader) -> TrustedKeyServer? {
        let nameValue = reader.required("server_name")
        let name = nameValue?.string()
        if let nameValue, let name, let problem = ServerName.problem(with: name) { nameValue.error(problem) }
        var verifyKeys: [String: String]?
        if let keys = reader.mapping("verify_keys") {
            verifyKeys = [:]
            for (keyID, _) in keys.unreadKeys {
                guard let value = keys.value(keyID), let key = value.string() else { continue }
                if !keyID.hasPrefix("ed25519:") {
                    value.error("unsupported signing algorithm in key ID \"\(keyID)\"; expected ed25519:…")
                } else {
                    verifyKeys?[keyID] = key
                }
            }
        }
        let insecure = reader.bool("accept_keys_insecurely", default: false)
        reader.warnAboutUnknownKeys()
        return name.map { TrustedKeyServer(serverName: $0, verifyKeys: verifyKeys, acceptKeysInsecurely: insecure) }
    }
}
