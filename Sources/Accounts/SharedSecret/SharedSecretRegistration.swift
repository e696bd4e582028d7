import MatrixTypes
import Storage

/// Synapse's `/_synapse/admin/v1/register`: how `register_new_matrix_user` creates the first admin. Works
/// whether or not open registration is enabled.
public struct SharedSecretRegistration: Sendable {
    let database: any Database
    let secret: String?
    let clock: WallClock
    let creator: AccountCreator
    let issuer: SessionIssuer
    let hasher: PasswordHasher

    /// Synapse's `NONCE_TIMEOUT`, in milliseconds.
    static let nonceLifetime: Int64 = 60_000
    static let knownUserTypes: Set<String> = ["support", "bot"]
    private static let maximumFieldLength = 512

    /// How many unused nonces are kept. Anyone may ask for a nonce, so the table must not grow with the request
    /// rate; past the cap the oldest are dropped, as a client uses its nonce within moments of fetching it.
    static let maximumOutstandingNonces = 1000

    /// A fresh nonce (128 hex characters), valid once, for 60 seconds, on any process using this database.
    ///
    /// Without a shared secret no nonce can ever be used, so none is stored: the answer keeps Synapse's
    /// contract and costs no write.
    public func newNonce() async throws -> String {
        let nonce = SecureRandom.hex(bytes: 64)
        guard secret != nil else { return nonce }
        let now = clock.now()
        try await database.write { transaction in
            try RegistrationNoncesTable.deleteCreated(before: now - Self.nonceLifetime, in: transaction)
            try RegistrationNoncesTable.insert(nonce, at: now, in: transaction)
            try RegistrationNoncesTable.keepNewest(Self.maximumOutstandingNonces, in: transaction)
        }
        return nonce
    }

    /// Checks the request in Synapse's order. The nonce is used up even when a later check fails.
    public func register(_ request: SharedSecretRequest) async throws -> RegistrationResult {
        guard let secret else { throw SharedSecretError.disabled }
        // Every nonce this server hands out is lower-case hex; anything else (a NUL above all, where PostgreSQL
        // would cut the parameter short) is unknown without asking the database.
        guard request.nonce.utf8.allSatisfy(SecureRandom.isLowercaseHexDigit) else { throw SharedSecretError.unrecognisedNonce }
        let cutoff = clock.now() - Self.nonceLifetime
        let fresh = try await database.write { transaction in
            try RegistrationNoncesTable.consume(request.nonce, createdSince: cutoff, in: transaction)
        }
        guard fresh else { throw SharedSecretError.unrecognisedNonce }
        guard Self.isAcceptable(request.username) else { throw SharedSecretError.invalidUsername }
        guard Self.isAcceptable(request.password) else { throw SharedSecretError.invalidPassword }
        if let userType = request.userType, !Self.knownUserTypes.contains(userType) { throw SharedSecretError.invalidUserType }
        let expected = SharedSecretMAC.hex(
            secret: secret, nonce: request.nonce, username: request.username, password: request.password, admin: request.admin,
            userType: request.userType
        )
        guard SharedSecretMAC.matches(request.mac, expected: expected) else { throw SharedSecretError.incorrectMAC }
        try SessionIssuer.validate(deviceID: request.deviceID, displayName: request.initialDeviceDisplayName)
        let hash = try await hasher.hash(request.password)
        let userID = try await creator.create(
            .init(localpart: request.username.lowercased(), passwordHash: hash, isAdmin: request.admin, userType: request.userType)
        )
        guard !request.inhibitLogin else { return RegistrationResult(userID: userID, session: nil) }
        let session = try await issuer.issue(for: userID, deviceID: request.deviceID, displayName: request.initialDeviceDisplayName, address: nil)
        return RegistrationResult(userID: userID, session: session)
    }

    private static func isAcceptable(_ field: String) -> Bool {
        field.unicodeScalars.count <= maximumFieldLength && !field.unicodeScalars.contains("\0")
    }
}
