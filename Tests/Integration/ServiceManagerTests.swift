import AxonTesting
import Foundation
import Glibc
import Testing

/// systemd's `Type=notify`: a real `axon` given `NOTIFY_SOCKET` reports `READY=1` once it serves, and `STOPPING=1`
/// when SIGTERM starts its shutdown; the socket may be a path or an abstract name (`@…`), as systemd hands out both.
@Suite struct ServiceManagerTests {
    @Test(arguments: [false, true])
    func readyOnceServingAndStoppingOnSIGTERM(abstract: Bool) async throws {
        let fixture = try await AccountServerFixture.make()
        let name = abstract ? "@axon-notify-\(UInt64.random(in: 0...UInt64.max))" : fixture.directory.appendingPathComponent("notify").path
        let socket = try NotifySocket(name)
        defer { socket.close() }
        let server = try ServerProcess(
            executable: "axon", arguments: ["-c", fixture.configPath], baseURL: fixture.baseURL, environment: ["NOTIFY_SOCKET": name]
        )
        defer { Task { await server.stop() } }

        let ready = try #require(await socket.receive(timeout: .seconds(60)), "no notification before the timeout")
        #expect(ready.split(separator: "\n").contains("READY=1"), "\(ready)")
        let health = try await TestHTTP.request("GET", fixture.baseURL + "/health")
        #expect(health.status == 200, "ready means serving")

        await server.stop()
        let stopping = try #require(await socket.receive(timeout: .seconds(10)), "no notification on SIGTERM")
        #expect(stopping.split(separator: "\n").contains("STOPPING=1"), "\(stopping)")
    }
}

/// The service manager's end: a Unix datagram socket bound to a path or an abstract name.
private final class NotifySocket: Sendable {
    let descriptor: Int32

    init(_ name: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let bytes: [UInt8] = name.hasPrefix("@") ? [0] + Array(name.utf8.dropFirst()) : Array(name.utf8)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    /// The next datagram, or `nil` when none arrives within `timeout`.
    func receive(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 { return String(decoding: buffer[..<count], as: UTF8.self) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func close() {
        Glibc.close(descriptor)
    }
}
