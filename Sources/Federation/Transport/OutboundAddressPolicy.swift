/// Which addresses this server may connect to on others' behalf (`ip_range_blacklist` with its `ip_range_whitelist`
/// exceptions): checked on every address a name resolves to, at every hop, so no name, delegation or redirect reaches
/// loopback or a private network unless the admin allowed it.
public struct OutboundAddressPolicy: Sendable {
    private let allows: @Sendable ([UInt8]) -> Bool

    /// `allows` gets an address as 4 (IPv4) or 16 (IPv6) bytes.
    public init(allows: @escaping @Sendable ([UInt8]) -> Bool) {
        self.allows = allows
    }

    public func allows(_ address: [UInt8]) -> Bool {
        allows(address)
    }
}
