import MatrixTypes

/// Who this server is and how it presents itself: `server_name`, `public_baseurl`, well-known serving,
/// the default room version and public-room directory access.
public struct ServerConfig: Sendable, Hashable {
    /// The Matrix server name (`example.org`, `localhost:8448`); part of every user and room ID.
    public var serverName: String
    /// `pid_file`, absolute; `nil` writes none.
    public var pidFile: String?
    /// `public_baseurl`, always ending in `/`; defaults to `https://<server_name>/`.
    public var publicBaseURL: String
    /// Synapse serves `/.well-known/matrix/client` only when `public_baseurl` was set explicitly, since the
    /// default may be wrong for existing installs.
    public var servesClientWellKnown: Bool
    /// `serve_server_wellknown`: answer `/.well-known/matrix/server` pointing federation at port 443.
    public var serveServerWellKnown: Bool
    /// `default_room_version` for new rooms.
    public var defaultRoomVersion: String
    /// `allow_public_rooms_without_auth`: the client room directory needs no access token.
    public var allowPublicRoomsWithoutAuth: Bool
    /// `allow_public_rooms_over_federation`: other servers may read the room directory.
    public var allowPublicRoomsOverFederation: Bool
    /// `room_list_publication_rules`: who may publish which rooms to the directory; the first matching rule
    /// decides and none matching denies. Synapse's default is no rules: only server admins publish.
    public var roomListPublicationRules: [DirectoryRule]
    /// `require_auth_for_profile_requests`: profile lookups need an access token (guests refused).
    public var requireAuthForProfileRequests = false
    /// `limit_profile_requests_to_users_who_share_rooms`: an authenticated lookup of another user's profile needs a
    /// room both are joined to; anonymous lookups are not limited, as in Synapse.
    public var limitProfileRequestsToUsersWhoShareRooms = false
    /// `presence.enabled` (or the older `use_presence`): when off, presence reads answer offline and writes change nothing.
    public var presenceEnabled = true
    /// `enable_metrics`: serve Prometheus metrics on listeners of type `metrics` and on `metrics` resources.
    public var enableMetrics = false
    /// `allow_profile_lookup_over_federation`: other servers may ask for local users' profiles.
    public var allowProfileLookupOverFederation = true
    /// `tls_certificate_path`, absolute: the PEM certificate chain listeners with `tls: true` present.
    public var tlsCertificatePath: String?
    /// `tls_private_key_path`, absolute: the PEM private key of that certificate.
    public var tlsPrivateKeyPath: String?

    /// The room versions `default_room_version` may name.
    public static let knownRoomVersions = RoomVersion.all.map(\.identifier)
    /// Synapse 1.16x's default.
    public static let synapseDefaultRoomVersion = "12"

    public init(serverName: String) {
        self.serverName = serverName
        pidFile = nil
        publicBaseURL = "https://\(serverName)/"
        servesClientWellKnown = false
        serveServerWellKnown = false
        defaultRoomVersion = Self.synapseDefaultRoomVersion
        allowPublicRoomsWithoutAuth = false
        allowPublicRoomsOverFederation = false
        roomListPublicationRules = []
    }
}

/// One `room_list_publication_rules` entry: glob patterns (`*`, `?`) for the user, room ID and alias.
public struct DirectoryRule: Sendable, Hashable {
    public var userID: String
    public var roomID: String
    public var alias: String
    public var allow: Bool

    public init(userID: String = "*", roomID: String = "*", alias: String = "*", allow: Bool) {
        self.userID = userID
        self.roomID = roomID
        self.alias = alias
        self.allow = allow
    }
}

extension ServerConfig {
    init(from root: MappingReader, paths: PathResolver) {
        var serverName = ""
        if let name = root.required("server_name"), let text = name.string() {
            if let problem = ServerName.problem(with: text) { name.error(problem) }
            serverName = text
        }
        self.init(serverName: serverName)
        pidFile = root.string("pid_file").map(paths.absolute)
        serveServerWellKnown = root.bool("serve_server_wellknown", default: false)
        if let value = root.value("public_baseurl"), let url = value.string() {
            if let problem = Self.baseURLProblem(url) { value.error(problem) }
            publicBaseURL = url.hasSuffix("/") ? url : url + "/"
            servesClientWellKnown = true
        }
        if let value = root.value("default_room_version"), let version = value.string() {
            if Self.knownRoomVersions.contains(version) {
                defaultRoomVersion = version
            } else {
                value.error("unknown room version \"\(version)\"; known versions: \(Self.knownRoomVersions.joined(separator: ", "))")
            }
        }
        if root.bool("restrict_public_rooms_to_local_users", default: false) {
            root.accept(["allow_public_rooms_without_auth", "allow_public_rooms_over_federation"])
        } else {
            allowPublicRoomsWithoutAuth = root.bool("allow_public_rooms_without_auth", default: false)
            allowPublicRoomsOverFederation = root.bool("allow_public_rooms_over_federation", default: false)
        }
        requireAuthForProfileRequests = root.bool("require_auth_for_profile_requests", default: false)
        limitProfileRequestsToUsersWhoShareRooms = root.bool("limit_profile_requests_to_users_who_share_rooms", default: false)
        roomListPublicationRules = root.value("room_list_publication_rules")?.list()?.compactMap(Self.directoryRule) ?? []
        presenceEnabled = root.mapping("presence")?.bool("enabled", default: root.bool("use_presence", default: true))
            ?? root.bool("use_presence", default: true)
        enableMetrics = root.bool("enable_metrics", default: false)
        allowProfileLookupOverFederation = root.bool("allow_profile_lookup_over_federation", default: true)
        tlsCertificatePath = root.string("tls_certificate_path").map(paths.absolute)
        tlsPrivateKeyPath = root.string("tls_private_key_path").map(paths.absolute)
    }

    private static func directoryRule(_ value: ValueReader) -> DirectoryRule? {
        guard let rule = value.mapping() else { return nil }
        let action = rule.required("action")
        guard let actionText = action?.string() else { return nil }
        guard actionText == "allow" || actionText == "deny" else {
            action?.error("must be \"allow\" or \"deny\"")
            return nil
        }
        let parsed = DirectoryRule(
            userID: rule.string("user_id") ?? "*", roomID: rule.string("room_id") ?? "*", alias: rule.string("alias") ?? "*",
            allow: actionText == "allow"
        )
        rule.warnAboutUnknownKeys()
        return parsed
    }

    /// Synapse's checks on `public_baseurl`: http(s), a host, no query or fragment.
    private static func baseURLProblem(_ url: String) -> String? {
        let scheme = url.prefix { $0 != ":" }
        guard scheme == "https" || scheme == "http", url.dropFirst(scheme.count).hasPrefix("://") else {
            return "must start with https:// or http://"
        }
        let rest = url.dropFirst(scheme.count + 3)
        guard let first = rest.first, first != "/" else { return "has no host" }
        guard !rest.contains("?"), !rest.contains("#") else { return "cannot contain query parameters or a #-fragment" }
        return nil
    }
}
