public import Accounts
import MatrixTypes
import Storage

/// Who may publish a room to the directory: whoever the first matching `room_list_publication_rules` entry
/// allows. No match denies, and, as in Synapse, server admins are held to the rules too, so with no rules (Synapse's
/// default) nobody publishes.
public struct PublicationPolicy: Sendable {
    public struct Rule: Sendable {
        public var userID: String
        public var roomID: String
        public var alias: String
        public var allow: Bool

        public init(userID: String, roomID: String, alias: String, allow: Bool) {
            self.userID = userID
            self.roomID = roomID
            self.alias = alias
            self.allow = allow
        }

        /// Synapse's matching: a `*` alias pattern matches rooms without aliases too; otherwise some alias must match.
        func matches(user: UserID, roomID room: RoomID, aliases: [String]) -> Bool {
            guard Glob.matches(userID, user.rawValue), Glob.matches(roomID, room.rawValue) else { return false }
            if alias == "*" { return true }
            return aliases.contains { Glob.matches(alias, $0) }
        }
    }

    private let rules: [Rule]
    private let users: UserLookup

    public init(rules: [Rule], users: UserLookup) {
        self.rules = rules
        self.users = users
    }

    func allows(_ user: UserID, roomID: RoomID, aliases: [String]) -> Bool {
        rules.first { $0.matches(user: user, roomID: roomID, aliases: aliases) }?.allow ?? false
    }

    /// Server admins may change any room's listing (unlisting it, or listing it where the rules allow them).
    func isAdmin(_ user: UserID) async throws(DirectoryError) -> Bool {
        try await DirectoryError.catching { try await users.isServerAdmin(user) }
    }
}

/// Shell-style patterns as Synapse's directory rules use them: `*` any run, `?` one code point, the rest literal,
/// compared by code point.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pattern = Array(pattern.unicodeScalars)
        let text = Array(text.unicodeScalars)
        var p = 0, t = 0, star = -1, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
