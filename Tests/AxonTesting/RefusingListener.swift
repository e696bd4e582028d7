import NIOCore
import NIOPosix
import Synchronization

/// A TCP listener that closes every connection as soon as it is accepted, counting them: a server that is there but
/// never answers, to see whether (and how often) another server tried it.
public final class RefusingListener: Sendable {
    public let host: String
    public let port: Int
    private let accepted: Count
    private let channel: any Channel

    /// Listens on `host`:`port`, or on a free port of 127.0.0.1 when `port` is nil.
    public init(host: String = "127.0.0.1", port: Int? = nil) async throws {
        let counter = Count()
        let chosen: Int
        if let port { chosen = port } else { chosen = try await FreePort.next() }
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                counter.value.add(1, ordering: .relaxed)
                return child.close()
            }
            .bind(host: host, port: chosen).get()
        accepted = counter
        self.host = host
        self.port = chosen
    }

    /// Connections accepted so far.
    public var connections: Int { accepted.value.load(ordering: .relaxed) }

    private final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    deinit {
        channel.close(promise: nil)
    }
}
