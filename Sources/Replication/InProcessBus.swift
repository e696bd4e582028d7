import Synchronization

/// The monolith's bus: `publish` calls every subscriber synchronously, so a notice is seen before `publish` returns.
public final class InProcessBus: ReplicationBus {
    private let handlers = Mutex<[@Sendable (StreamNotice) -> Void]>([])

    public init() {}

    public func publish(_ notice: StreamNotice) {
        for handler in handlers.withLock({ $0 }) { handler(notice) }
    }

    public func subscribe(_ handler: @escaping @Sendable (StreamNotice) -> Void) {
        handlers.withLock { $0.append(handler) }
    }
}
