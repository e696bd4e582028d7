public import Accounts
public import MatrixTypes
public import Storage

/// Deleting devices takes their keys, their one-time and fallback keys, the signatures over them and their waiting
/// to-device messages with them,
/// in the same transaction, at a `device_lists` position that tells those sharing a room with the user.
public struct DeviceKeysRemoval: DeviceRemovalCoordinator {
    let deviceLists: DeviceListStream
    let keyCounts: KeyCountCache

    public init(deviceLists: DeviceListStream, keyCounts: KeyCountCache) {
        self.deviceLists = deviceLists
        self.keyCounts = keyCounts
    }

    public func remove(
        devicesOf user: UserID, _ removal: @escaping @Sendable (any Transaction) throws -> [String]
    ) async throws -> [String] {
        let userID = user.rawValue
        let removed = try await deviceLists.write(changeOf: user) { transaction in
            let removed = try removal(transaction)
            try DeviceKeysTable.delete(userID: userID, deviceIDs: removed, in: transaction)
            try OneTimeKeysTable.delete(userID: userID, deviceIDs: removed, in: transaction)
            try FallbackKeysTable.delete(userID: userID, deviceIDs: removed, in: transaction)
            try DeviceInboxTable.delete(userID: userID, deviceIDs: removed, in: transaction)
            try DeviceInboxTransactionsTable.delete(userID: userID, deviceIDs: removed, in: transaction)
            try CrossSigningSignaturesTable.delete(targetUserID: userID, keyIDs: removed, in: transaction)
            return (removed, removed)
        }
        keyCounts.forget(user, devices: removed)
        return removed
    }
}
