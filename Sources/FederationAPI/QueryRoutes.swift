import HTTPTypes
public import MatrixHTTP
public import MatrixTypes
public import Profiles

/// `GET /_matrix/federation/v1/query/profile`: a local user's display name and avatar, for another server's users
/// (Synapse's answer: both fields, `null` when unset, or only the one `field` names).
public enum QueryRoutes {
    /// - Parameter allowed: `allow_profile_lookup_over_federation`.
    public static func routes(profiles: ProfileReader, serverName: ServerName, allowed: Bool) -> [Route] {
        [
            .federation(
                .get, "/_matrix/federation/v1/query/profile",
                shape: RequestShape(query: [
                    QueryField("user_id", .string, required: true, example: "@nobody:axon.test"), QueryField("field", .string, example: "displayname"),
                ])
            ) { request in
                guard allowed else {
                    throw MatrixError(.forbidden, "Profile lookup over federation is disabled on this homeserver", status: 403)
                }
                let text = request.request.query["user_id"] ?? ""
                guard let user = try? UserID(text) else { throw MatrixError.invalidParameter("Invalid user_id '\(text)'") }
                guard user.serverName.rawValue.hasSameBytes(as: serverName.rawValue) else {
                    throw MatrixError.invalidParameter("User is not hosted on this homeserver")
                }
                let profile = try await profiles.profile(of: user)
                let field = request.request.query["field"]
                var answer: JSONObject = [:]
                if field == nil || field == "displayname" { answer["displayname"] = profile.displayName.map(JSONValue.string) ?? .null }
                if field == nil || field == "avatar_url" { answer["avatar_url"] = profile.avatarURL.map(JSONValue.string) ?? .null }
                return .json(.object(answer))
            }
        ]
    }
}
