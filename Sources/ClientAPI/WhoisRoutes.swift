public import Accounts
public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `GET /admin/whois/{userId}`: where each of a user's devices was last seen, for server admins and for the user.
public enum WhoisRoutes {
    public static func routes(_ devices: DeviceService) -> [Route] {
        ClientPath.expand("/admin/whois/{userId}").map { whois($0, devices) }
    }

    /// Keyed by device ID as the spec describes (Synapse puts every connection under one `""` device); each device
    /// has one session whose connection is the address and time Axon last recorded for it.
    static func whois(_ path: String, _ devices: DeviceService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            let target: UserID = try request.identifier("userId")
            var byDevice: JSONObject = [:]
            for device in try await devices.whois(target, requester: request.requester) {
                var connection: JSONObject = [:]
                if let ip = device.lastSeenIP { connection["ip"] = .string(ip) }
                if let seen = device.lastSeenTimestamp { connection["last_seen"] = .integer(seen) }
                let connections: [JSONValue] = connection.isEmpty ? [] : [.object(connection)]
                byDevice[device.deviceID] = ["sessions": [["connections": .array(connections)]]]
            }
            return .json(["user_id": .string(target.rawValue), "devices": .object(byDevice)])
        }
    }
}
