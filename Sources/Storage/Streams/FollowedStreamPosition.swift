/// A stream's persisted-up-to position as a process that does not write it learns it (from replication).
public protocol FollowedStreamPosition: Sendable {
    var persistedUpTo: Int64 { get }
    /// The position now and after every advance; slow consumers see only the newest value.
    func positions() -> AsyncStream<Int64>
}
