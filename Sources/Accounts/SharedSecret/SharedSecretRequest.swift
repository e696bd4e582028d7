/// The body of `POST /_synapse/admin/v1/register`.
public struct SharedSecretRequest: Sendable {
    public var nonce: String
    public var username: String
    public var password: String
    public var mac: String
    public var admin: Bool
    public var userType: String?
    public var deviceID: String?
    public var initialDeviceDisplayName: String?
    public var inhibitLogin: Bool

    public init(
        nonce: String, username: String, password: String, mac: String, admin: Bool = false, userType: String? = nil,
        deviceID: String? = nil, initialDeviceDisplayName: String? = nil, inhibitLogin: Bool = false
    ) {
        self.nonce = nonce
        self.username = username
        self.password = password
        self.mac = mac
        self.admin = admin
        self.userType = userType
        self.deviceID = deviceID
        self.initialDeviceDisplayName = initialDeviceDisplayName
        self.inhibitLogin = inhibitLogin
    }
}
