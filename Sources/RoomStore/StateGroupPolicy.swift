/// When a new state group is written as a full snapshot rather than a delta over the group before it.
///
/// A delta chain ends once its deltas together hold as many rows as the snapshot it starts from (and at least
/// `minimumDeltaRows`), or once it has `maxChainLength` groups. Reading any group then costs at most about twice
/// its state's size, while snapshots grow geometrically, so a room's state rows stay within a small multiple of
/// its state changes (a room gaining 1,000 members one by one stores about 2,500 rows).
public struct StateGroupPolicy: Sendable, Hashable {
    public var maxChainLength: Int64
    public var minimumDeltaRows: Int64

    public init(maxChainLength: Int64 = 1_000, minimumDeltaRows: Int64 = 100) {
        precondition(maxChainLength > 0 && minimumDeltaRows > 0, "state group chains need room for one delta")
        self.maxChainLength = maxChainLength
        self.minimumDeltaRows = minimumDeltaRows
    }

    func needsSnapshot(over base: StateGroupInfo, adding rows: Int64) -> Bool {
        base.chainLength + 1 > maxChainLength || base.deltaRows + rows > max(base.snapshotRows, minimumDeltaRows)
    }
}
