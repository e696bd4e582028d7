/// Why a device operation failed.
public enum DeviceError: Error, Sendable, Equatable {
    case notFound
    /// Display names are limited to 100 characters, as in Synapse.
    case displayNameTooLong
    /// Device IDs are limited to 512 characters.
    case deviceIDTooLong
    /// A device ID or display name holds a NUL, which PostgreSQL text cannot store.
    case containsNUL(field: String)
}
