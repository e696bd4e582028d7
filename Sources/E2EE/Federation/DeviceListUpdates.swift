import Accounts
import MatrixTypes
import Storage

/// What other servers are told of a local user's devices: the EDUs sent when they change, and the whole list
/// `/user/devices` answers. Device display names are not shared with other servers (Synapse's default,
/// `allow_device_name_lookup_over_federation: false`).
enum DeviceListUpdates {
    /// The EDUs for a change to `devices` of `user`, as they stand in `connection`: `m.device_list_update` with each
    /// device's keys, or `deleted` when it is gone, and for the empty ID `m.signing_key_update`. `prev_id` is left
    /// empty, which makes the receiver fetch the whole list (`/user/devices`) rather than trust that it saw every
    /// earlier update.
    static func updates(of user: UserID, devices: [String], streamID: Int64, in connection: any Connection) throws -> [JSONValue] {
        let keys = try keys(of: user, in: connection)
        return try devices.map { device in
            guard !device.isEmpty else { return try signingKeyUpdate(of: user, in: connection) }
            var content: JSONObject = [
                "user_id": .string(user.rawValue), "device_id": .string(device), "stream_id": .integer(streamID), "prev_id": [],
            ]
            if let deviceKeys = keys[JSONKey(device)] {
                content["keys"] = deviceKeys
            } else {
                content["deleted"] = true
            }
            return ["edu_type": "m.device_list_update", "content": .object(content)]
        }
    }

    /// `m.signing_key_update` with the user's master and self-signing keys.
    private static func signingKeyUpdate(of user: UserID, in connection: any Connection) throws -> JSONValue {
        var content: JSONObject = ["user_id": .string(user.rawValue)]
        for (field, key) in try crossSigningKeys(of: user, in: connection) { content[field] = key }
        return ["edu_type": "m.signing_key_update", "content": .object(content)]
    }

    /// `/user/devices/{userId}`: every device of the user with its keys, and their master and self-signing keys.
    static func devices(of user: UserID, streamID: Int64, in connection: any Connection) throws -> JSONObject {
        let keys = try keys(of: user, in: connection)
        let devices = try DeviceDirectory.devices(of: [user.rawValue], in: connection).map { device -> JSONValue in
            var entry: JSONObject = ["device_id": .string(device.deviceID)]
            if let deviceKeys = keys[JSONKey(device.deviceID)] { entry["keys"] = deviceKeys }
            return .object(entry)
        }
        var answer: JSONObject = ["user_id": .string(user.rawValue), "stream_id": .integer(streamID), "devices": .array(devices)]
        for (field, key) in try crossSigningKeys(of: user, in: connection) { answer[field] = key }
        return answer
    }

    /// Each existing device's stored keys with the signatures its owner made over them.
    private static func keys(of user: UserID, in connection: any Connection) throws -> [JSONKey: JSONValue] {
        let existing = Set(try DeviceDirectory.devices(of: [user.rawValue], in: connection).map { JSONKey($0.deviceID) })
        let stored = try DeviceKeysTable.keys(of: [user.rawValue], in: connection)[JSONKey(user.rawValue)] ?? [:]
        let signatures = try CrossSigningSignaturesTable.signatures(of: [user.rawValue], in: connection)[JSONKey(user.rawValue)] ?? [:]
        var keys: [JSONKey: JSONValue] = [:]
        for (device, text) in stored where existing.contains(device) {
            guard let json = try? JSONValue.parse(text) else { continue }
            let own = (signatures[device] ?? []).filter { $0.signerUserID.hasSameBytes(as: user.rawValue) }
            keys[device] = CrossSigningSignaturesTable.merged(own, into: json)
        }
        return keys
    }

    /// `master_key` and `self_signing_key` as stored, with the signatures the owner's devices made over the master key.
    private static func crossSigningKeys(of user: UserID, in connection: any Connection) throws -> [(String, JSONValue)] {
        let stored = try CrossSigningKeysTable.keys(of: [user.rawValue], in: connection)[JSONKey(user.rawValue)] ?? [:]
        let signatures = try CrossSigningSignaturesTable.signatures(of: [user.rawValue], in: connection)[JSONKey(user.rawValue)] ?? [:]
        return [("master", "master_key"), ("self_signing", "self_signing_key")].compactMap { type, field in
            guard let text = stored[JSONKey(type)], let key = try? JSONValue.parse(text) else { return nil }
            let own = (signatures[JSONKey(CrossSigningKey.publicKey(of: key) ?? "")] ?? []).filter { $0.signerUserID.hasSameBytes(as: user.rawValue) }
            return (field, CrossSigningSignaturesTable.merged(own, into: key))
        }
    }
}
