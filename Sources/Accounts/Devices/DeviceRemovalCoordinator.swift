public import MatrixTypes
public import Storage

/// Where a device removal commits: in the transaction of what must change with it. End-to-end encryption keeps each
/// device's keys and the device list other users track; both must move with the `devices` rows or not at all.
public protocol DeviceRemovalCoordinator: Sendable {
    /// Runs `removal`, which deletes devices of `user` and returns the IDs it deleted, in one write transaction with
    /// the coordinator's own changes for those devices; returns the deleted IDs.
    func remove(
        devicesOf user: UserID, _ removal: @escaping @Sendable (any Transaction) throws -> [String]
    ) async throws -> [String]
}

/// A removal that nothing else follows: the process keeps no end-to-end encryption state (tests of accounts alone).
public struct StandaloneDeviceRemoval: DeviceRemovalCoordinator {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func remove(
        devicesOf user: UserID, _ removal: @escaping @Sendable (any Transaction) throws -> [String]
    ) async throws -> [String] {
        try await database.write { transaction in try removal(transaction) }
    }
}

/// Which devices a removal deletes.
enum DeviceSelection: Sendable {
    case these([String])
    /// Every device but `kept` (every one when `nil`).
    case allExcept(String?)
}

/// Deleting devices revokes their tokens in the same transaction (and forgets the user's cached ones after it).
/// `alsoInTransaction` runs with it, for account changes that remove devices (a password change, deactivation).
enum DeviceRemoval {
    @discardableResult
    static func remove(
        _ selection: DeviceSelection, of user: UserID, coordinator: any DeviceRemovalCoordinator, tokens: AccessTokenCache,
        keepingToken keptToken: Int64? = nil, alsoInTransaction: (@Sendable (any Transaction) throws -> Void)? = nil
    ) async throws -> [String] {
        let userID = user.rawValue
        defer { tokens.revoked(userID: userID) }
        return try await coordinator.remove(devicesOf: user) { transaction in
            try alsoInTransaction?(transaction)
            switch selection {
            case .these(let deviceIDs):
                try AccessTokensTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
                return try DevicesTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
            case .allExcept(let kept):
                try AccessTokensTable.deleteAll(userID: userID, except: keptToken, in: transaction)
                return try DevicesTable.deleteAll(userID: userID, except: kept, in: transaction)
            }
        }
    }
}

/// The devices of local users, for services that keep something per device (end-to-end keys, to-device messages)
/// and read it in their own transaction.
public enum DeviceDirectory {
    /// Each of `users`' devices, with its display name, in user then device ID order.
    public static func devices(of users: [String], in connection: any Connection) throws(StorageError) -> [(userID: String, deviceID: String, displayName: String?)] {
        try DevicesTable.devices(of: users, in: connection).map { ($0.userID, $0.device.deviceID, $0.device.displayName) }
    }
}
