/// The spec's order between two keys of one session, of which the backup keeps the greater: a verified key beats an
/// unverified one; between keys equally verified the lower `first_message_index` wins, then the lower
/// `forwarded_count`. An uploaded key replaces the stored one only when it ranks strictly higher.
///
/// Synapse tests each rule without letting the ones before it decide (it would replace a verified key with an
/// unverified one of lower index); this follows the spec.
public struct KeyRank: Sendable, Comparable {
    public var isVerified: Bool
    public var firstMessageIndex: Int64
    public var forwardedCount: Int64

    public init(isVerified: Bool, firstMessageIndex: Int64, forwardedCount: Int64) {
        self.isVerified = isVerified
        self.firstMessageIndex = firstMessageIndex
        self.forwardedCount = forwardedCount
    }

    public static func < (lower: KeyRank, higher: KeyRank) -> Bool {
        if lower.isVerified != higher.isVerified { return higher.isVerified }
        if lower.firstMessageIndex != higher.firstMessageIndex { return lower.firstMessageIndex > higher.firstMessageIndex }
        return lower.forwardedCount > higher.forwardedCount
    }
}
