/// Which addresses this server may connect to on others' behalf (`ip_range_blacklist` with its `ip_range_whitelist`
/// exceptions, or the URL-preview lists): checked on every address a name resolves to, at every hop, so no name,
/// delegation or redirect reaches loopback or a private network unless the admin allowed it.
public struct OutboundAddressPolicy: Sendable {
    private let allows: @Sendable ([UInt8]) -> Bool

    /// `allows` gets an address as 4 (IPv4) or 16 (IPv6) bytes.
    public init(allows: @escaping @Sendable ([UInt8]) -> Bool) {
        self.allows = allows
    }

    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) reaches the IPv4 host it carries, so that address must be
    /// allowed as well as the IPv6 form.
    public func allows(_ address: [UInt8]) -> Bool {
        guard address.count == 16, address[..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF else {
            return allows(address)
        }
        return allows(Array(address[12...])) && allows(address)
    }
}
