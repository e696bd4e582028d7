import MatrixTypes

/// A user identifier and password, read from a `/login` body or a `m.login.password` auth stage.
///
/// Accepts the spec's `identifier` object and the deprecated top-level `user` and `medium`/`address`
/// fields, with Synapse's errors for each malformed shape.
struct PasswordCredentials: Sendable {
    enum Identifier: Sendable, Equatable {
        case user(String)
        case thirdParty(medium: String, address: String)
    }

    let identifier: Identifier
    let password: String

    init(_ submission: [String: JSONValue]) throws(LoginError) {
        guard let password = submission["password"]?.stringValue else {
            throw .invalidSubmission("Bad parameter: password")
        }
        self.password = password
        identifier = try Self.identifier(in: submission)
    }

    private static func identifier(in submission: [String: JSONValue]) throws(LoginError) -> Identifier {
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
