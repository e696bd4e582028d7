public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `GET /capabilities`: what clients may offer their users on this server.
public enum CapabilitiesRoutes {
    /// - Parameter defaultRoomVersion: `default_room_version`, the version new rooms get.
    public static func routes(defaultRoomVersion: String) -> [Route] {
        let body = capabilities(defaultRoomVersion: defaultRoomVersion)
        return ClientPath.expand("/capabilities").map { path in
            Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { _ in .json(body) }
        }
    }

    /// Passwords can be changed; third-party identifiers cannot, since Axon binds none.
    static func capabilities(defaultRoomVersion: String) -> JSONValue {
        let versions = RoomVersion.all.map { ($0.identifier, JSONValue.string("stable")) }
        return [
            "capabilities": [
                "m.change_password": ["enabled": true],
                "m.room_versions": ["default": .string(defaultRoomVersion), "available": .object(JSONObject(uniqueKeysWithValues: versions))],
                "m.set_displayname": ["enabled": true],
                "m.set_avatar_url": ["enabled": true],
                "m.3pid_changes": ["enabled": false],
            ]
        ]
    }
}
