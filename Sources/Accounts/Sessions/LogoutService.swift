import MatrixTypes
import Storage

/// `/logout` and `/logout/all`. Logging out deletes the device, and with it every token bound to it.
public struct LogoutService: Sendable {
    let database: any Database
    let tokens: AccessTokenCache

    public func logOut(_ requester: Requester) async throws {
        try await DeviceRemoval.remove([requester.deviceID], of: requester.userID.rawValue, in: database, tokens: tokens)
    }

    public func logOutEverywhere(_ requester: Requester) async throws {
        let userID = requester.userID.rawValue
        defer { tokens.revoked(userID: userID) }
        try await database.write { transaction in
            try DevicesTable.deleteAll(userID: userID, except: nil, in: transaction)
            try AccessTokensTable.deleteAll(userID: userID, except: nil, in: transaction)
        }
    }
}

/// Deleting a device revokes its tokens in the same transaction (and forgets the user's cached ones after it).
enum DeviceRemoval {
    static func remove(_ deviceIDs: [String], of userID: String, in database: any Database, tokens: AccessTokenCache) async throws {
        defer { tokens.revoked(userID: userID) }
        try await database.write { transaction in
            try AccessTokensTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
            try DevicesTable.delete(userID: userID, deviceIDs: deviceIDs, in: transaction)
        }
    }
}
