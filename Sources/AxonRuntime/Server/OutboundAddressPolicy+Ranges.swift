import AxonConfig
import Federation

extension OutboundAddressPolicy {
    /// Allows an address unless a `blacklist` range holds it and no `whitelist` range does, as Synapse reads its
    /// `*_ip_range_blacklist` and `*_ip_range_whitelist` pairs.
    init(blacklist: [IPRange], whitelist: [IPRange]) {
        self.init { address in
            whitelist.contains { $0.contains(address) } || !blacklist.contains { $0.contains(address) }
        }
    }
}
