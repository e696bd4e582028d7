import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private `dnsmasq` on a loopback port answering for a test domain only, from the records given: the name server
/// a test points `federation_dns_servers` at. Names of the domain it has no record for answer NXDOMAIN; it forwards
/// nothing.
public final class LoopbackDNS: Sendable {
    /// An SRV record: `service` (e.g. `_matrix-fed._tcp.example.test`) offered on `target`:`port`.
    public struct Service: Sendable {
        public var service: String
        public var target: String
        public var port: Int
        public var priority: Int
        public var weight: Int

        public init(_ service: String, target: String, port: Int, priority: Int = 10, weight: Int = 0) {
            self.service = service
            self.target = target
            self.port = port
            self.priority = priority
            self.weight = weight
        }
    }

    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: executable) }
    private static let executable = "/usr/sbin/dnsmasq"

    public let port: Int
    private let process: ChildProcess

    /// Starts the server and waits until it answers on `port` (TCP, which it serves beside UDP).
    /// - Parameters:
    ///   - domain: the only domain it answers for.
    ///   - addresses: A records, name to IPv4 address.
    public init(domain: String, addresses: [String: String], services: [Service]) async throws {
        port = try await FreePort.next()
        var arguments = [
            "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll", "--conf-file=/dev/null", "--pid-file=",
            "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--local=/\(domain)/", "--log-queries",
        ]
        arguments += addresses.map { "--host-record=\($0.key),\($0.value)" }
        arguments += services.map { "--srv-host=\($0.service),\($0.target),\($0.port),\($0.priority),\($0.weight)" }
        let log = TestEnvironment.logDirectory.appendingPathComponent("dnsmasq-\(UUID().uuidString.prefix(8)).log")
        process = try ChildProcess(executable: Self.executable, arguments: arguments + ["--log-facility=-"], environment: [:], output: .file(log.path))
        for _ in 0..<250 {
            if await FreePort.acceptsConnections(port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        throw ServerProcess.ProcessFailure(description: "dnsmasq did not start on port \(port): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    deinit {
        process.signal(SIGKILL)
    }

    /// The `federation_dns_servers` entry naming it.
    public var address: String { "127.0.0.1:\(port)" }
}
