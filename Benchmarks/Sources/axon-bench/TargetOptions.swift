import ArgumentParser
import AsyncHTTPClient
import Foundation
import MatrixTypes
import NIOCore

/// What every benchmark takes: the server, where the results go, and the server's process for its memory.
struct TargetOptions: ParsableArguments {
    @Argument(help: "Base URL of the homeserver, e.g. http://127.0.0.1:8008")
    var baseURL: String

    @Option(help: "Write the results (or the error) as JSON to this file.")
    var json: String?

    @Option(help: "PID of the server process, to report its resident memory (its peak over this workload alone).")
    var pid: Int32?

    @Option(help: "URL of Axon's metrics (/_synapse/metrics with enable_metrics), to report its database statements and round trips per persisted event and per sync response over this workload.")
    var metrics: String?

    var base: String { baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL }

    func client(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Counts the server's database work, when `--metrics` names where to read it.
    func databaseMeter(http: HTTPClient) -> DatabaseWork.Meter? {
        metrics.map { DatabaseWork.Meter(http: http, url: $0) }
    }

    func write(_ document: JSONValue) throws {
        guard let json else { return }
        guard FileManager.default.createFile(atPath: json, contents: Data(document.encoded())) else {
            throw ValidationError("cannot write \(json)")
        }
    }
}
