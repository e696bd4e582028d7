import MatrixTypes
import Storage

/// Walks in progress, in the database so that any process serving `/hierarchy` continues any walk: each page that
/// leaves rooms to visit stores its session under a new random token, valid for `lifetime` and only for the user it
/// was answered to. A user keeps at most `perUser` sessions (the oldest go first), and expired ones are deleted as
/// new ones are stored.
struct HierarchySessions: Sendable {
    let database: any Database
    let clock: @Sendable () -> Int64

    /// Synapse's `_PAGINATION_SESSION_VALIDITY_PERIOD_MS`.
    static let lifetimeMs: Int64 = 5 * 60 * 1000
    static let perUser = 20

    func create(_ session: HierarchySession, for user: UserID) async throws(SpacesError) -> String {
        let token = SecureRandom.hex(bytes: 16)
        let text = String(decoding: session.json.encoded(), as: UTF8.self)
        let now = clock()
        try await SpacesError.catching {
            try await database.write { transaction in
                try HierarchySessionsTable.deleteExpired(before: now - Self.lifetimeMs, in: transaction)
                try HierarchySessionsTable.insert(token: token, userID: user.rawValue, createdMs: now, session: text, in: transaction)
                try HierarchySessionsTable.keepNewest(Self.perUser, of: user.rawValue, in: transaction)
            }
        }
        return token
    }

    /// The session under `token` if it is the user's and has not expired.
    func session(_ token: String, for user: UserID) async throws(SpacesError) -> HierarchySession? {
        let notBefore = clock() - Self.lifetimeMs
        let found = try await SpacesError.catching {
            try await database.read { connection in try HierarchySessionsTable.find(token: token, notBefore: notBefore, in: connection) }
        }
        guard let found, found.userID.hasSameBytes(as: user.rawValue), let json = try? JSONValue.parse(found.session) else { return nil }
        return HierarchySession(json: json)
    }
}
