public import MatrixTypes

/// What the account services need from the homeserver config, so this module does not depend on the config loader.
public struct AccountSettings: Sendable {
    public var serverName: ServerName
    /// `enable_registration`: clients may create accounts through `/register`.
    public var registrationEnabled: Bool
    /// `registration_requires_token`: open registration needs a token, which this server cannot issue yet.
    public var registrationRequiresToken: Bool
    /// `allow_guest_access`: `/register?kind=guest` creates guest accounts.
    public var guestAccessAllowed: Bool
    /// `registration_shared_secret`; `nil` disables `/_synapse/admin/v1/register`.
    public var registrationSharedSecret: String?
    public var passwordCost: PasswordCost

    public init(
        serverName: ServerName, registrationEnabled: Bool = false, registrationRequiresToken: Bool = false,
        guestAccessAllowed: Bool = false, registrationSharedSecret: String? = nil, passwordCost: PasswordCost
    ) {
        self.serverName = serverName
        self.registrationEnabled = registrationEnabled
        self.registrationRequiresToken = registrationRequiresToken
        self.guestAccessAllowed = guestAccessAllowed
        self.registrationSharedSecret = registrationSharedSecret
        self.passwordCost = passwordCost
    }
}
