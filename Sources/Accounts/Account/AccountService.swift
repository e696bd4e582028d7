import MatrixTypes
import Storage

/// Changes to the requester's own account: `/account/password` and `/account/deactivate`, both behind
/// user-interactive auth.
public struct AccountService: Sendable {
    let database: any Database
    let reauthentication: Reauthentication
    let hasher: PasswordHasher
    let tokens: AccessTokenCache
    let removal: any DeviceRemovalCoordinator
    let deactivationCleanup: @Sendable (String, any Transaction) throws -> Void

    /// Sets a new password. Unless `logout_devices` is false, every other device and access token of the
    /// account is revoked, as the spec asks; the requester's own token keeps working.
    public func changePassword(_ submission: UIASubmission, requester: Requester) async throws {
        let password = try PasswordError.check(submission.password)
        let completion = try await reauthentication.confirm(.changePassword, submission, requester: requester)
        let hash = try await password.asyncMap(hasher.hash) ?? completion.storedPasswordHash
        guard let hash else { throw PasswordError.missing }
        let logOutOthers = completion.params["logout_devices"]?.boolValue ?? true
        let userID = requester.userID.rawValue
        guard logOutOthers else {
            try await database.write { transaction in try UsersTable.setPasswordHash(hash, for: userID, in: transaction) }
            return
        }
        try await DeviceRemoval.remove(
            .allExcept(requester.deviceID), of: requester.userID, coordinator: removal, tokens: tokens, keepingToken: requester.accessTokenID
        ) { transaction in try UsersTable.setPasswordHash(hash, for: userID, in: transaction) }
    }

    /// Deactivates the account for good: it loses its password, devices and tokens (OpenID ones too, so it can
    /// no longer prove who it was) and what `deactivationCleanup` removes (key backups), and its name stays taken. With `erase: true` in the final request, as Synapse
    /// reads it, the user is also marked erased, which hides their messages from those who join later.
    public func deactivate(_ submission: UIASubmission, requester: Requester) async throws {
        _ = try await reauthentication.confirm(.deactivate, submission, requester: requester)
        let userID = requester.userID.rawValue
        let erase = submission.params["erase"]?.boolValue ?? false
        try await DeviceRemoval.remove(.allExcept(nil), of: requester.userID, coordinator: removal, tokens: tokens) { transaction in
            try UsersTable.deactivate(userID, in: transaction)
            try OpenIDTokensTable.deleteAll(userID: userID, in: transaction)
            try deactivationCleanup(userID, transaction)
            if erase { try ErasedUsersTable.insert(userID, in: transaction) }
        }
    }
}
