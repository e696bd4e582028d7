/// Who may call an authenticated route.
public enum TokenRequirement: Sendable, Hashable {
    /// Registered users only; guests get 403 `M_GUEST_ACCESS_FORBIDDEN`.
    case user
    /// Registered users and guests.
    case userOrGuest
}
