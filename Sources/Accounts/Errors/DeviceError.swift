/// Why a device operation failed.
public enum DeviceError: Error, Sendable, Equatable {
    case notFound
    /// Display names are limited to 100 characters, as in Synapse.
    case displayNameTooLong
    /// Device IDs are limited to 512 characters.
    case deviceIDTooLong
    /// A device ID or display name holds a NUL, which PostgreSQL text cannot store.
    case containsNUL(field: String)
    /// Only server admins may look at other users' devices (`/admin/whois`).
    case notServerAdmin
    /// `/admin/whois` names a user of another server.
    case notLocalUser
}
