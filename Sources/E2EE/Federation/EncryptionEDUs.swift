public import MatrixTypes

/// The end-to-end encryption EDUs other servers send: to-device messages for this server's users, and changes to
/// their users' devices and cross-signing keys, which local users sharing a room with them see in `device_lists`
/// and then query afresh (other servers' keys are always asked of them, never kept here).
public struct EncryptionEDUs: Sendable {
    let toDevice: ToDeviceService
    let deviceLists: DeviceListStream

    public init(toDevice: ToDeviceService, deviceLists: DeviceListStream) {
        self.toDevice = toDevice
        self.deviceLists = deviceLists
    }

    /// The EDU types taken here.
    public static let types: Set<String> = ["m.direct_to_device", "m.device_list_update", "m.signing_key_update"]

    /// Takes one EDU from `origin`; one about a user of another server, or malformed, is refused.
    public func take(type: String, content: JSONValue, from origin: ServerName) async throws(E2EEError) {
        switch type {
        case "m.direct_to_device":
            try await toDevice.receive(content, from: origin)
        case "m.device_list_update", "m.signing_key_update":
            guard let user = content["user_id"]?.stringValue.flatMap({ try? UserID($0) }), user.serverName == origin else {
                throw .invalid("\(type) must name a user of the origin")
            }
            let device = type == "m.device_list_update" ? content["device_id"]?.stringValue : ""
            guard let device, !device.isEmpty || type == "m.signing_key_update" else { throw .invalid("m.device_list_update needs a device_id") }
            try await deviceLists.remoteChange(of: user, devices: [device])
        default:
            return
        }
    }
}
