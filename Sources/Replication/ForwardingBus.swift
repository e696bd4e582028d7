/// A writer's bus in worker mode: this process's subscribers get every notice at once, as on `InProcessBus`, and
/// each notice is also handed to `forward` (the Redis publisher) for the other processes.
public final class ForwardingBus: ReplicationBus {
    private let local: InProcessBus
    private let forward: @Sendable (ReplicationCommand) -> Void

    /// - Parameter local: the bus this process's subscribers listen on; a process that also follows other writers
    ///   passes its follower's, so its subscribers hear both.
    public init(local: InProcessBus = InProcessBus(), forward: @escaping @Sendable (ReplicationCommand) -> Void) {
        self.local = local
        self.forward = forward
    }

    public func publish(_ notice: StreamNotice) {
        local.publish(notice)
        forward(.data(notice))
    }

    public func subscribe(_ handler: @escaping @Sendable (StreamNotice) -> Void) {
        local.subscribe(handler)
    }
}
