import MatrixTypes
import Storage

/// `/logout` and `/logout/all`. Logging out deletes the device, and with it every token bound to it.
public struct LogoutService: Sendable {
    let database: any Database

    public func logOut(_ requester: Requester) async throws {
        try await DeviceRemoval.remove([requester.deviceID], of: requester.userID.rawValue, in: database)
    }

    public func logOutEverywhere(_ requester: Requester) async throws {
        let userID = requester.userID.rawValue
        try await database.write { transaction in
            try DevicesTable.deleteAll(userID: userID, except: nil, in: transaction)
            try AccessTokensTable.deleteAll(userID: userID, except: nil, in: transaction)
        }
    }
}

/// Deleting a device revokes its tokens in the same transaction.
enum DeviceRemoval {
    static func remove(_ deviceIDs: [String], of userID: String, in database: any Database) async throws {
        try await database.write { transaction in
            try AccessTokensTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
            try DevicesTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
        }
    }
}
