import MatrixTypes
import Storage

/// `/devices`, `/devices/{deviceId}` and `/delete_devices`. Deleting a device revokes its access tokens.
public struct DeviceService: Sendable {
    let database: any Database
    let reauthentication: Reauthentication
    let serverName: ServerName
    let tokens: AccessTokenCache
    let removal: any DeviceRemovalCoordinator

    /// `GET /admin/whois/{userId}`: every device of a local user with where it was last seen. Users may ask about
    /// themselves; anyone else must be a server admin, as in Synapse.
    public func whois(_ target: UserID, requester: Requester) async throws -> [DeviceInfo] {
        let targetID = target.rawValue
        let requesterID = requester.userID.rawValue
        if !targetID.hasSameBytes(as: requesterID) {
            let requesterRow = try await database.read { connection in try UsersTable.find(requesterID, in: connection) }
            guard requesterRow?.isAdmin == true else { throw DeviceError.notServerAdmin }
        }
        guard target.serverName.rawValue.hasSameBytes(as: serverName.rawValue) else { throw DeviceError.notLocalUser }
        return try await database.read { connection in try DevicesTable.list(userID: targetID, in: connection) }
    }

    public func devices(of requester: Requester) async throws -> [DeviceInfo] {
        let userID = requester.userID.rawValue
        return try await database.read { connection in try DevicesTable.list(userID: userID, in: connection) }
    }

    public func device(_ deviceID: String, of requester: Requester) async throws -> DeviceInfo {
        let userID = requester.userID.rawValue
        guard let device = try await database.read({ connection in try DevicesTable.find(userID: userID, deviceID: deviceID, in: connection) }) else {
            throw DeviceError.notFound
        }
        return device
    }

    /// Sets the display name; a missing name leaves it unchanged but the device must still exist.
    public func rename(_ deviceID: String, to displayName: String?, requester: Requester) async throws {
        guard let displayName else {
            _ = try await device(deviceID, of: requester)
            return
        }
        guard displayName.unicodeScalars.count <= SessionIssuer.maximumDisplayNameLength else { throw DeviceError.displayNameTooLong }
        guard !displayName.utf8.contains(0) else { throw DeviceError.containsNUL(field: "display_name") }
        let userID = requester.userID.rawValue
        let found = try await database.write { transaction in
            try DevicesTable.setDisplayName(displayName, userID: userID, deviceID: deviceID, in: transaction)
        }
        guard found else { throw DeviceError.notFound }
    }

    /// `DELETE /devices/{deviceId}`.
    public func delete(_ deviceID: String, _ submission: UIASubmission, requester: Requester) async throws {
        _ = try await reauthentication.confirm(.deleteDevice(deviceID), submission, requester: requester)
        try await DeviceRemoval.remove(.these([deviceID]), of: requester.userID, coordinator: removal, tokens: tokens)
    }

    /// `POST /delete_devices`: the `devices` list may have been given on an earlier request of the session.
    public func deleteDevices(_ submission: UIASubmission, requester: Requester) async throws {
        let completion = try await reauthentication.confirm(.deleteDevices, submission, requester: requester)
        let deviceIDs = completion.params["devices"]?.arrayValue?.compactMap(\.stringValue) ?? []
        // PostgreSQL would cut an ID at a NUL and delete the device named by what came before it.
        guard !deviceIDs.contains(where: { $0.utf8.contains(0) }) else { throw DeviceError.containsNUL(field: "devices") }
        try await DeviceRemoval.remove(.these(deviceIDs), of: requester.userID, coordinator: removal, tokens: tokens)
    }
}
