import MatrixTypes

/// The rules a new account's localpart must follow: the spec's grammar and length limit, plus Synapse's
/// reservations (a leading `_` for bridges, all-digit names for guests and generated IDs).
enum UsernamePolicy {
    static let maximumUserIDLength = 255

    /// `allowingGuestNames` admits an all-digit localpart: a guest upgrading keeps its generated name.
    static func check(_ localpart: String, serverName: ServerName, allowingGuestNames: Bool = false) throws(RegistrationError) -> UserID {
        guard localpart.isEmpty || UserID.isStrictLocalpart(localpart) else {
            throw .invalidUsername("User ID can only contain characters a-z, 0-9, or '=_-./+'")
        }
        guard !localpart.isEmpty else { throw .invalidUsername("User ID cannot be empty") }
        guard !localpart.hasPrefix("_") else { throw .invalidUsername("User ID may not begin with _") }
        let raw = "@\(localpart):\(serverName.rawValue)"
        guard raw.utf8.count <= maximumUserIDLength, let userID = try? UserID(raw) else {
            throw .invalidUsername("User ID may not be longer than \(maximumUserIDLength) characters")
        }
        if !allowingGuestNames { try refuseGuestName(localpart) }
        return userID
    }

    static func refuseGuestName(_ localpart: String) throws(RegistrationError) {
        guard !localpart.allSatisfy(\.isASCIIDigit) else {
            throw .invalidUsername("Numeric user IDs are reserved for guest users.")
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
