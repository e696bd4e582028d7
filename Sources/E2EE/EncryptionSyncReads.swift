public import MatrixTypes

/// What `/sync` reads of end-to-end encryption: a device's to-device messages, whose devices changed, and the
/// device's own key counts.
public protocol EncryptionSyncReads: Sendable {
    /// The `to_device` stream position every message up to which is readable.
    var toDevicePosition: Int64 { get }
    /// The `device_lists` stream position every change up to which is readable.
    var deviceListsPosition: Int64 { get }
    /// Deletes what the device acknowledged and answers what follows, with the position the next token carries.
    func deliver(to user: UserID, device: String, acknowledged: Int64?, upTo: Int64) async throws(E2EEError) -> (messages: [JSONValue], position: Int64)
    /// `events`: the events stream range in which to look for membership changes in encrypted rooms, if any.
    func deviceListChanges(
        for user: UserID, after: Int64, upTo: Int64, events: (after: Int64, upTo: Int64)?
    ) async throws(E2EEError) -> DeviceListChanges
    func keyCounts(of user: UserID, device: String) async throws(E2EEError) -> KeyCountCache.Counts
}

/// The services over the `to_device` and `device_lists` streams, read as `/sync` reads them.
public struct EncryptionReads: EncryptionSyncReads {
    let toDevice: ToDeviceService
    let deviceLists: DeviceListStream
    let keys: KeyService

    public init(toDevice: ToDeviceService, deviceLists: DeviceListStream, keys: KeyService) {
        self.toDevice = toDevice
        self.deviceLists = deviceLists
        self.keys = keys
    }

    public var toDevicePosition: Int64 { toDevice.position }
    public var deviceListsPosition: Int64 { deviceLists.position }

    public func deliver(to user: UserID, device: String, acknowledged: Int64?, upTo: Int64) async throws(E2EEError) -> (messages: [JSONValue], position: Int64) {
        try await toDevice.deliver(to: user, device: device, acknowledged: acknowledged, upTo: upTo)
    }

    public func deviceListChanges(
        for user: UserID, after: Int64, upTo: Int64, events: (after: Int64, upTo: Int64)?
    ) async throws(E2EEError) -> DeviceListChanges {
        try await deviceLists.changes(for: user, after: after, upTo: upTo, events: events)
    }

    public func keyCounts(of user: UserID, device: String) async throws(E2EEError) -> KeyCountCache.Counts {
        try await keys.keyCounts(of: user, device: device)
    }
}
