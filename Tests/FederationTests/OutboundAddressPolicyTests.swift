import Federation
import MatrixTypes
import Testing

@Suite struct OutboundAddressPolicyTests {
    /// `::ffff:127.0.0.1` connects to 127.0.0.1, so a blacklist of IPv4 ranges must catch it.
    @Test func anIPv4MappedAddressIsCheckedAsTheIPv4AddressItCarries() {
        let policy = OutboundAddressPolicy { $0 != [127, 0, 0, 1] && $0 != IPAddress.parse("::ffff:10.0.0.1")! }
        #expect(!policy.allows(IPAddress.parse("::ffff:127.0.0.1")!))
        #expect(policy.allows(IPAddress.parse("::ffff:127.0.0.2")!))
        #expect(!policy.allows(IPAddress.parse("::ffff:10.0.0.1")!))
        #expect(policy.allows(IPAddress.parse("::1")!))
        #expect(policy.allows(IPAddress.parse("::127.0.0.1")!))
        #expect(!policy.allows([127, 0, 0, 1]))
    }
}
