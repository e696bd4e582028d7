import ArgumentParser
import AxonConfig
import Foundation
import HTTPTypes
import Logging
import MatrixHTTP

/// `axon routes`: the route table with each route's role, or (`--nginx`) the nginx site for a worker topology.
struct RoutesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "routes", abstract: "Print every route and the process that serves it, or the nginx site for a topology."
    )

    @OptionGroup var config: ConfigPathOptions

    @Flag(help: "Print the nginx site (upstreams, routing map, server block) instead of the table.")
    var nginx = false

    @Option(
        name: .customLong("worker"),
        help: ArgumentHelp("A worker of the topology as EXECUTABLE=WORKER.yaml (axon-client-reader=workers/reader1.yaml); repeat.", valueName: "worker")
    )
    var workers: [String] = []

    @Option(help: "Listen with plain HTTP on this loopback port instead of the setup guide's 80, 443 and 8448.")
    var loopbackPort: Int?

    @Option(help: "With --loopback-port, also listen with TLS on this loopback port (needs --tls-certificate and --tls-key).")
    var loopbackTLSPort: Int?

    @Option(help: "ssl_certificate for the 443 and 8448 listeners (or the loopback TLS port).")
    var tlsCertificate: String?

    @Option(help: "ssl_certificate_key for the 443 and 8448 listeners (or the loopback TLS port).")
    var tlsKey: String?

    private func listening() throws -> NginxSite.Listening {
        guard let loopbackPort else {
            guard loopbackTLSPort == nil else { throw ValidationError("--loopback-tls-port goes with --loopback-port.") }
            return .site(certificate: tlsCertificate, key: tlsKey)
        }
        guard let tlsPort = loopbackTLSPort else { return .loopback(port: loopbackPort, tls: nil) }
        guard let tlsCertificate, let tlsKey else { throw ValidationError("--loopback-tls-port needs --tls-certificate and --tls-key.") }
        return .loopback(port: loopbackPort, tls: (tlsPort, tlsCertificate, tlsKey))
    }

    func run() async throws {
        var logger = Logger(label: "axon.routes")
        logger.logLevel = .error
        let shared = try ConfigLoader.load(paths: config.paths).config
        let routes = try await RouteTable.routes(for: shared, logger: logger)
        guard nginx else {
            for route in routes.sorted(by: { ($0.path.description, $0.method.rawValue) < ($1.path.description, $1.method.rawValue) }) {
                print("\(route.method.rawValue)\t\(route.path)\t\(route.role.executableName)")
            }
            return
        }
        var topology: [ProcessRole: [String]] = [:]
        for worker in workers {
            let (role, address) = try workerAddress(worker)
            topology[role, default: []].append(address)
        }
        guard let main = Self.publicAddress(shared.listeners) else {
            throw ValidationError("The main process has no HTTP listener serving `client`; nginx would have nowhere to send requests.")
        }
        let site = NginxSite(
            serverName: shared.server.serverName, publicBaseURL: shared.server.publicBaseURL.trimmingSuffix("/"), main: [main],
            workers: topology,
            routes: routes.map { NginxSite.RouteEntry(method: $0.method.rawValue, path: $0.path.description, role: $0.role) },
            maxBodyBytes: shared.media.maxUploadSize,
            listening: try listening()
        )
        print(site.text, terminator: "")
    }

    /// Reads `EXECUTABLE=FILE`: the worker's role and where its client listener is.
    private func workerAddress(_ argument: String) throws -> (ProcessRole, String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let role = ProcessRole.allCases.first(where: { $0.executableName == parts[0] }), role != .main else {
            throw ValidationError("--worker takes EXECUTABLE=WORKER.yaml with a worker executable (axon-client-reader, …), not '\(argument)'.")
        }
        let worker = try ConfigLoader.load(paths: config.paths + [parts[1]]).config
        try RoleRequirements.check(role: role, config: worker)
        guard let address = Self.publicAddress(worker.worker.listeners) else {
            throw ValidationError("\(parts[1]) has no HTTP worker listener serving client, federation or media routes for nginx to send to.")
        }
        return (role, address)
    }

    /// Where nginx reaches the first HTTP listener serving routes it forwards (a wildcard bind is reached on loopback).
    static func publicAddress(_ listeners: [ListenerConfig]) -> String? {
        guard let listener = listeners.first(where: { listener in
            listener.type == .http && [.client, .federation, .media].contains(where: listener.serves)
        }) else { return nil }
        switch listener.address {
        case .unix(let path, _):
            return "unix:\(path)"
        case .tcp(let port, let binds):
            let host = binds.first { !["0.0.0.0", "::", ""].contains($0) } ?? "127.0.0.1"
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
