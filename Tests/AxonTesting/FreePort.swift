import NIOCore
import NIOPosix
import Synchronization

/// Loopback ports for servers the tests start as separate processes.
///
/// Ports come from below Linux's ephemeral range (32768 and up), so a port handed out here is not also
/// given to a test server binding port 0 before the process that was promised it starts; a port is
/// handed out once per test process.
public enum FreePort {
    private static let handedOut = Mutex<Set<Int>>([])
    private static let range = 20_000..<32_000

    public static func next() async throws -> Int {
        while true {
            let port = Int.random(in: range)
            let fresh = handedOut.withLock { $0.insert(port).inserted }
            if fresh, await isBindable(port) { return port }
        }
    }

    /// Whether nothing listens on `port` of 127.0.0.1 (binding it succeeds).
    public static func isBindable(_ port: Int) async -> Bool {
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: port).get()
            try await channel.close()
            return true
        } catch {
            return false
        }
    }

    /// Whether something accepts connections on `port` of 127.0.0.1 (probing a starting server by binding its port
    /// would race the server's own bind).
    public static func acceptsConnections(_ port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
            try await channel.close()
            return true
        } catch {
            return false
        }
    }
}
