import MatrixTypes
import Storage

/// The spec's user-interactive authentication, with sessions in the database so they survive restarts and
/// can be continued on any process.
struct UserInteractiveAuth: Sendable {
    let database: any Database
    let clock: WallClock
    let hasher: PasswordHasher
    let passwords: PasswordAuthenticator

    /// Synapse's `SESSION_EXPIRE_MS`.
    static let sessionLifetime: Int64 = 48 * 60 * 60 * 1000
    private static let sessionIDLength = 24
    /// The most a session keeps of a request's parameters, encoded. Synapse keeps any size, but a session row
    /// lives for two days and `/register` needs no token, so a request must not be able to park megabytes in one.
    static let maximumParamsBytes = 64 * 1024
    /// The most live sessions one user keeps; starting another drops the oldest. Each request without a session
    /// starts one, and they live two days, so without this a token could park gigabytes. Synapse has no cap.
    static let maximumSessionsPerUser = 20
    /// The same for registration's sessions, which belong to no user: `rc_registration` paces them, this bounds them.
    static let maximumRegistrationSessions = 10_000

    /// A finished authentication: the operation may go ahead with these parameters.
    struct Completion: Sendable {
        let sessionID: String
        /// This request's parameters, or the session's when this request sent none.
        let params: JSONObject
        /// A password hashed on an earlier request of the session.
        let storedPasswordHash: String?
        let registeredUserID: String?
    }

    /// Failed password stages count against this limit, keyed by the user.
    struct FailureLimit: Sendable {
        let limiter: any ActionLimiter
        let key: String
    }

    /// The session the submission continues; `nil` when it names none.
    func existingSession(for submission: UIASubmission) async throws -> UIASessionRow? {
        guard let sessionID = submission.auth?["session"]?.stringValue else { return nil }
        // Only IDs of the shape this server hands out can exist; anything else is not worth a query.
        guard sessionID.utf8.count == Self.sessionIDLength, sessionID.utf8.allSatisfy(SecureRandom.isLetter) else {
            throw UIAError.unknownSession(sessionID)
        }
        let cutoff = clock.now() - Self.sessionLifetime
        guard let row = try await database.read({ connection in try UIASessionsTable.find(sessionID, createdAfter: cutoff, in: connection) }) else {
            throw UIAError.unknownSession(sessionID)
        }
        return row
    }

    /// Starts or continues a session, checks the stage the client attempted, and returns once one of `flows`
    /// is complete; otherwise throws `UIAError.incomplete` with what is left to do. A password the operation
    /// sets is hashed into the session the first time it is seen, so the client need not resend it.
    ///
    /// Only stages of the offered `flows` are checked, and a password stage authenticates only `requester`.
    func authenticate(
        _ operation: UIAOperation, _ submission: UIASubmission, continuing existing: UIASessionRow?, requester: UserID?,
        flows: [[String]], failureLimit: FailureLimit? = nil
    ) async throws -> Completion {
        let session = try await open(operation, submission, continuing: existing, requester: requester)
        let sessionID = session.sessionID
        var failure: LoginError?
        if let auth = submission.auth, let type = auth["type"]?.stringValue {
            do {
                let result = try await check(stage: type, auth, flows: flows, requester: requester)
                try await database.write { transaction in
                    try UIASessionsTable.markStageComplete(type, result: result, for: sessionID, in: transaction)
                }
            } catch LoginError.invalidCredentials {
                failure = .invalidCredentials
                if let failureLimit { _ = failureLimit.limiter.limit(failureLimit.key, record: true) }
            }
        }
        let stages = try await database.read { connection in try UIASessionsTable.completedStages(of: sessionID, in: connection) }
        let params = try Self.decode(session.params)
        if flows.contains(where: { Set($0).isSubset(of: stages.keys) }) {
            return Completion(
                sessionID: sessionID, params: params, storedPasswordHash: session.passwordHash,
                registeredUserID: session.registeredUserID
            )
        }
        if let password = submission.password, !password.isEmpty, session.passwordHash == nil {
            let hash = try await hasher.hash(password)
            try await database.write { transaction in try UIASessionsTable.setPasswordHash(hash, for: sessionID, in: transaction) }
        }
        throw UIAError.incomplete(
            UIAChallenge(session: sessionID, flows: flows, completed: submission.auth == nil ? nil : stages.keys.sorted(), failure: failure)
        )
    }

    /// Records that the session's registration created `userID`.
    func recordRegistration(of userID: String, in sessionID: String) async throws {
        try await database.write { transaction in try UIASessionsTable.setRegisteredUser(userID, for: sessionID, in: transaction) }
    }

    private func open(
        _ operation: UIAOperation, _ submission: UIASubmission, continuing existing: UIASessionRow?, requester: UserID?
    ) async throws -> UIASessionRow {
        let params = try Self.encode(submission.params)
        guard params.utf8.count <= Self.maximumParamsBytes else { throw UIAError.parametersTooLarge(limit: Self.maximumParamsBytes) }
        guard var session = existing else {
            let now = clock.now()
            let session = UIASessionRow(
                sessionID: SecureRandom.letters(Self.sessionIDLength), createdAt: now, operation: operation.key,
                userID: requester?.rawValue, params: params
            )
            try await database.write { transaction in
                try UIASessionsTable.deleteCreated(before: now - Self.sessionLifetime, in: transaction)
                let limit = session.userID == nil ? Self.maximumRegistrationSessions : Self.maximumSessionsPerUser
                try UIASessionsTable.deleteAllButNewest(limit - 1, of: session.userID, in: transaction)
                try UIASessionsTable.insert(session, in: transaction)
            }
            return session
        }
        guard session.operation == operation.key else { throw UIAError.operationChanged }
        guard session.userID == requester?.rawValue else { throw UIAError.wrongUser }
        if !submission.params.isEmpty, params != session.params {
            let sessionID = session.sessionID
            try await database.write { transaction in try UIASessionsTable.setParams(params, for: sessionID, in: transaction) }
            session.params = params
        }
        return session
    }

    /// Runs one stage; the result is what the session remembers for it.
    ///
    /// A stage the endpoint did not offer is refused unchecked: `/register` offers no password stage, so it
    /// cannot serve as a way to try passwords against existing accounts. A password stage authenticates only the
    /// requester; naming anyone else fails exactly as a wrong password does.
    private func check(stage: String, _ auth: JSONObject, flows: [[String]], requester: UserID?) async throws -> String {
        guard flows.contains(where: { $0.contains(stage) }) else { throw LoginError.unknownLoginType(stage) }
        switch stage {
        case UIAStage.dummy:
            return "true"
        case UIAStage.password:
            guard let requester else { throw LoginError.unknownLoginType(stage) }
            return try await passwords.authenticate(PasswordCredentials(auth), onlyAs: requester.rawValue).userID
        default:
            throw LoginError.unknownLoginType(stage)
        }
    }

    private static func encode(_ params: JSONObject) throws -> String {
        String(decoding: JSONValue.object(params).encoded(), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> JSONObject {
        try JSONValue.parse(text).objectValue ?? [:]
    }
}
