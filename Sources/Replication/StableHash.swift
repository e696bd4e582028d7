/// A hash that is the same in every process and every run, unlike Swift's seeded `Hasher`: what shards rooms among
/// event writers and destinations among federation senders.
public enum StableHash {
    /// FNV-1a over `bytes`.
    public static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
