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

    /// Health and metrics describe the process answering, so every role serves them.
    public var isServedByEveryRole: Bool {
        self == .health || self == .metrics
    }

    /// Resources a listener serves when it names `self`: Synapse's `client` also mounts the media
    /// repository, and `federation` also serves the key API and OpenID userinfo.
    public var implied: Set<RouteResource> {
        switch self {
        case .client: [.client, .media]
        case .federation: [.federation, .keys, .openid]
        default: [self]
        }
    }
}
