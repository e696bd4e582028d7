/// Why a device operation failed.
public enum DeviceError: Error, Sendable, Equatable {
    case notFound
    /// Display names are limited to 100 characters, as in Synapse.
    case displayNameTooLong
    /// Device IDs are limited to 512 characters.
    case deviceIDTooLong
}
