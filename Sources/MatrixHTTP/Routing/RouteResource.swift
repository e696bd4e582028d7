/// The listener resource (`listeners[].resources[].names` in homeserver.yaml) a route belongs to.
/// A listener serves a route only when it lists the route's resource, as Synapse does.
public enum RouteResource: String, Sendable, CaseIterable, Hashable {
    case client
    case federation
    case keys
    case media
    case health
    case metrics
    case replication
    /// The federation OpenID userinfo endpoint, which third parties call to check a user's OpenID token.
    case openid
    /// Other servers' downloads of our media (`/_matrix/federation/v1/media/`), which Synapse serves on federation
    /// listeners and on the media worker's; no listener names it, the two resources imply it.
    case federationMedia = "federation_media"

    /// Health and metrics describe the process answering, so every role serves them.
    public var isServedByEveryRole: Bool {
        self == .health || self == .metrics
    }

    /// Resources a listener serves when it names `self`: Synapse's `client` also mounts the media
    /// repository, `federation` also serves the key API and OpenID userinfo, and both it and `media` serve other
    /// servers' media downloads.
    public var implied: Set<RouteResource> {
        switch self {
        case .client: [.client, .media, .federationMedia]
        case .federation: [.federation, .keys, .openid, .federationMedia]
        case .media: [.media, .federationMedia]
        default: [self]
        }
    }
}
