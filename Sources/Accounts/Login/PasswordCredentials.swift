import MatrixTypes

/// A user identifier and password, read from a `/login` body or a `m.login.password` auth stage.
///
/// Accepts the spec's `identifier` object and the deprecated top-level `user` and `medium`/`address`
/// fields, with Synapse's errors for each malformed shape.
struct PasswordCredentials: Sendable {
    enum Identifier: Sendable, Equatable {
        case user(String)
        case thirdParty(medium: String, address: String)

        var byteCount: Int {
            switch self {
            case .user(let user): user.utf8.count
            case .thirdParty(let medium, let address): medium.utf8.count + 1 + address.utf8.count
            }
        }

        var containsNUL: Bool {
            switch self {
            case .user(let user): user.utf8.contains(0)
            case .thirdParty(let medium, let address): medium.utf8.contains(0) || address.utf8.contains(0)
            }
        }
    }

    let identifier: Identifier
    let password: String

    init(_ submission: JSONObject) throws(LoginError) {
        guard let password = submission["password"]?.stringValue else {
            throw .invalidSubmission("Bad parameter: password")
        }
        self.password = password
        identifier = try Self.identifier(in: submission)
        // No account name or password can hold a NUL (registration refuses them), and PostgreSQL text cannot.
        guard !password.utf8.contains(0), !identifier.containsNUL else {
            throw .invalidSubmission("User identifiers and passwords may not contain NUL characters")
        }
        // The identifier keys the failed-attempt limiter's buckets, so its length must not be the body's.
        guard identifier.byteCount <= Self.maximumIdentifierBytes else { throw .invalidSubmission("User identifier is too long") }
    }

    /// No user ID is longer (the spec's limit), and neither is an e-mail address.
    static let maximumIdentifierBytes = 255

    private static func identifier(in submission: JSONObject) throws(LoginError) -> Identifier {
        var identifier = submission["identifier"]?.objectValue ?? [:]
        if let user = submission["user"]?.stringValue, !user.isEmpty {
            identifier = ["type": "m.id.user", "user": .string(user)]
        }
        if let medium = submission["medium"]?.stringValue, !medium.isEmpty, let address = submission["address"]?.stringValue, !address.isEmpty {
            identifier = ["type": "m.id.thirdparty", "medium": .string(medium), "address": .string(address)]
        }
        guard !identifier.isEmpty else { throw .invalidSubmission("Invalid login submission") }
        guard let type = identifier["type"] else { throw .missingIdentifierType }
        switch type.stringValue {
        case "m.id.user":
            guard let user = identifier["user"]?.stringValue, !user.isEmpty else { throw .missingUser }
            return .user(user)
        case "m.id.thirdparty":
            guard let medium = identifier["medium"]?.stringValue, let address = identifier["address"]?.stringValue else {
                throw .invalidThirdPartyIdentifier
            }
            return .thirdParty(medium: medium, address: address)
        case "m.id.phone":
            guard let country = identifier["country"]?.stringValue, let phone = identifier["phone"]?.stringValue else {
                throw .invalidSubmission("Invalid phone-type identifier")
            }
            return .thirdParty(medium: "msisdn", address: country + phone)
        default:
            throw .unknownIdentifierType
        }
    }
}
