public import Accounts
public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `/devices`, `/devices/{deviceId}` and `/delete_devices`. Reads go to client readers; changes to the
/// main process, which writes the device list.
public enum DeviceRoutes {
    static let renameShape = RequestShape(body: .jsonObject([BodyField("display_name", .string, required: false, example: "Work laptop")]))
    static let deleteShape = RequestShape(body: .jsonObjectOrEmpty([BodyField("auth", .object, required: false, example: [:])]))
    static let deleteManyShape = RequestShape(
        body: .jsonObject([
            BodyField("devices", .array, required: true, example: ["NODEVICE"]),
            BodyField("auth", .object, required: false, example: ["type": "m.login.password"]),
        ])
    )

    public static func routes(_ devices: DeviceService) -> [Route] {
        ClientPath.expand("/devices").map { list($0, devices) }
            + ClientPath.expand("/devices/{deviceId}").flatMap { [show($0, devices), rename($0, devices), delete($0, devices)] }
            + ClientPath.expand("/delete_devices").map { deleteMany($0, devices) }
    }

    static func list(_ path: String, _ devices: DeviceService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            .json(["devices": .array(try await devices.devices(of: request.requester).map(json))])
        }
    }

    static func show(_ path: String, _ devices: DeviceService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            .json(json(try await devices.device(request.pathParameter("deviceId"), of: request.requester)))
        }
    }

    static func rename(_ path: String, _ devices: DeviceService) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .userOrGuest, shape: renameShape) { request in
            try await devices.rename(
                request.pathParameter("deviceId"), to: request.body["display_name"]?.stringValue, requester: request.requester
            )
            return .json([:])
        }
    }

    /// Needs the password through user-interactive auth; revokes the device's tokens.
    static func delete(_ path: String, _ devices: DeviceService) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user, shape: deleteShape) { request in
            try await devices.delete(
                request.pathParameter("deviceId"), UIASubmission(body: request.body.objectValue ?? [:]), requester: request.requester
            )
            return .json([:])
        }
    }

    /// Needs the password through user-interactive auth; revokes the devices' tokens.
    static func deleteMany(_ path: String, _ devices: DeviceService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: deleteManyShape) { request in
            try await devices.deleteDevices(UIASubmission(body: request.body.objectValue ?? [:]), requester: request.requester)
            return .json([:])
        }
    }

    private static func json(_ device: DeviceInfo) -> JSONValue {
        var object: JSONObject = ["device_id": .string(device.deviceID)]
        if let name = device.displayName { object["display_name"] = .string(name) }
        if let ip = device.lastSeenIP { object["last_seen_ip"] = .string(ip) }
        if let seen = device.lastSeenTimestamp { object["last_seen_ts"] = .integer(seen) }
        return .object(object)
    }
}
