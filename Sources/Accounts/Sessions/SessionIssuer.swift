import MatrixTypes
import Storage

/// Creates a device (unless the user already has one with the requested ID) and an access token for it, in
/// one transaction, so a token can never outlive or precede its device.
struct SessionIssuer: Sendable {
    let database: any Database
    let clock: WallClock

    static let maximumDeviceIDLength = 512
    static let maximumDisplayNameLength = 100
    private static let generatedDeviceIDLength = 10
    private static let generatedDeviceIDAttempts = 5

    func issue(for userID: UserID, deviceID requested: String?, displayName: String?, address: String?) async throws -> IssuedSession {
        try Self.validate(deviceID: requested, displayName: displayName)
        let requested = requested.flatMap { $0.isEmpty ? nil : $0 }
        let displayName = displayName.map { String(String.UnicodeScalarView($0.unicodeScalars.prefix(Self.maximumDisplayNameLength))) }
        let token = AccessTokenFormat.generate(localpart: userID.localpart)
        let hash = TokenHash.of(token)
        let now = clock.now()
        let deviceID = try await database.write { transaction in
            let deviceID = try Self.device(for: userID.rawValue, requested: requested, displayName: displayName, address: address, now: now, in: transaction)
            try AccessTokensTable.insert(hash: hash, userID: userID.rawValue, deviceID: deviceID, at: now, in: transaction)
            return deviceID
        }
        return IssuedSession(userID: userID, deviceID: deviceID, accessToken: token)
    }

    /// Refuses a device ID or display name `issue` would refuse. Registration calls it before creating the
    /// account, so a bad field never leaves an account behind without the login its request asked for.
    ///
    /// Lengths count code points, as Synapse's do: a count of grapheme clusters would let combining marks make
    /// one "character" arbitrarily long.
    static func validate(deviceID: String?, displayName: String?) throws(DeviceError) {
        if let deviceID, deviceID.unicodeScalars.count > maximumDeviceIDLength { throw .deviceIDTooLong }
        if let deviceID, deviceID.utf8.contains(0) { throw .containsNUL(field: "device_id") }
        if let displayName, displayName.utf8.contains(0) { throw .containsNUL(field: "initial_device_display_name") }
    }

    /// A requested ID is used whether or not the device exists; a generated one must be new.
    private static func device(
        for userID: String, requested: String?, displayName: String?, address: String?, now: Int64, in transaction: any Transaction
    ) throws -> String {
        if let requested {
            try DevicesTable.insertIfMissing(userID: userID, deviceID: requested, displayName: displayName, address: address, at: now, in: transaction)
            return requested
        }
        for _ in 0..<generatedDeviceIDAttempts {
            let candidate = SecureRandom.uppercaseLetters(generatedDeviceIDLength)
            if try DevicesTable.insertIfMissing(userID: userID, deviceID: candidate, displayName: displayName, address: address, at: now, in: transaction) {
                return candidate
            }
        }
        throw StorageError.uniqueViolation(message: "no unused device ID after \(generatedDeviceIDAttempts) attempts")
    }
}
