/// How one process knows a stream: as its writer, or following a writer in another process.
///
/// A service holding `.following` answers reads only; the process that builds it serves none of its writing routes,
/// so reaching `writer()` there is a wiring error, reported as `notStreamWriter`.
public enum StreamAccess: Sendable {
    case writing(StreamIDAllocator)
    case following(any FollowedStreamPosition)

    /// Every position up to which is committed or abandoned, however this process learns it.
    public var persistedUpTo: Int64 {
        switch self {
        case .writing(let streamIDs): streamIDs.persistedUpTo
        case .following(let position): position.persistedUpTo
        }
    }

    /// Where a reader must get to see everything written so far: the highest ID handed out, in the writer.
    public var allocatedUpTo: Int64 {
        switch self {
        case .writing(let streamIDs): streamIDs.allocatedUpTo
        case .following(let position): position.persistedUpTo
        }
    }

    /// The position now and after every advance; slow consumers see only the newest value.
    public func positions() -> AsyncStream<Int64> {
        switch self {
        case .writing(let streamIDs): streamIDs.positions()
        case .following(let position): position.positions()
        }
    }

    /// The allocator, in the stream's writer.
    public func writer(_ stream: String) throws(StorageError) -> StreamIDAllocator {
        guard case .writing(let streamIDs) = self else { throw .notStreamWriter(stream) }
        return streamIDs
    }
}
