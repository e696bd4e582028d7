import Foundation
import NIOCore
import NIOPosix

/// Ephemeral loopback ports for servers the tests start, so suites can run side by side.
public enum FreePort {
    public static func next() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
