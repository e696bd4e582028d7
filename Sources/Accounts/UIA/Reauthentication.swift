import MatrixTypes
import Storage

/// User-interactive auth for operations on the requester's own account (password change, deactivation,
/// device deletion): the access token alone is not enough, the user must confirm their password.
///
/// The password stage checks only the requester's own password, so failures count against that account
/// (`rc_login.failed_attempts`, as Synapse counts them) and no one can use their own token to try another
/// account's password.
public struct Reauthentication: Sendable {
    let uia: UserInteractiveAuth
    let database: any Database
    let failures: any ActionLimiter

    func confirm(_ operation: UIAOperation, _ submission: UIASubmission, requester: Requester) async throws -> UserInteractiveAuth.Completion {
        let userID = requester.userID.rawValue
        try failures.enforce(userID, record: false)
        let existing = try await uia.existingSession(for: submission)
        let hasPassword = try await database.read { connection in try UsersTable.find(userID, in: connection)?.passwordHash != nil }
        return try await uia.authenticate(
            operation, submission, continuing: existing, requester: requester.userID,
            flows: hasPassword ? [[UIAStage.password]] : [], failureLimit: .init(limiter: failures, key: userID)
        )
    }

    /// Returns once the requester has confirmed `operation` with their password; otherwise throws the challenge
    /// the client answers.
    public func require(_ operation: UIAOperation, _ submission: UIASubmission, requester: Requester) async throws {
        _ = try await confirm(operation, submission, requester: requester)
    }
}
