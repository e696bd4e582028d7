/// Which endpoint asked for media: the authenticated `/_matrix/client/v1/media` and federation ones, or the legacy
/// unauthenticated `/_matrix/media/v3` ones.
public enum MediaAccess: Sendable, Equatable {
    case authenticated
    /// `allowRemote`: the request's `allow_remote` (default true).
    case legacy(allowRemote: Bool)
}
