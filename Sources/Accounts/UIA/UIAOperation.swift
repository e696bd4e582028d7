/// An endpoint protected by user-interactive auth. A session belongs to one operation: a client cannot
/// complete auth for deleting one device and then use the session to delete another.
public enum UIAOperation: Sendable, Equatable {
    case register
    case changePassword
    case deactivate
    case deleteDevices
    case deleteDevice(String)
    /// Replacing cross-signing keys already uploaded.
    case uploadCrossSigningKeys

    var key: String {
        switch self {
        case .register: "register"
        case .changePassword: "account/password"
        case .deactivate: "account/deactivate"
        case .deleteDevices: "delete_devices"
        case .deleteDevice(let deviceID): "devices/\(deviceID)"
        case .uploadCrossSigningKeys: "keys/device_signing/upload"
        }
    }
}

/// The stage types Axon offers.
enum UIAStage {
    static let dummy = "m.login.dummy"
    static let password = "m.login.password"
}
