import AxonTesting
import Foundation
import Testing

/// `enable_metrics` and the metrics listener, on a real `axon` process: what an admin's Prometheus scrapes, and
/// what `make bench` reads the database work from.
@Suite struct MetricsTests {
    /// Starts the account fixture with `extra` YAML layered over its config; returns the server and a free port
    /// the extra YAML may use.
    private func start(_ extra: (_ clientPort: Int, _ metricsPort: Int) -> String) async throws -> (ServerProcess, AccountServerFixture, Int) {
        let fixture = try await AccountServerFixture.make()
        let metricsPort = try await FreePort.next()
        let extraPath = fixture.directory.appendingPathComponent("metrics-\(metricsPort).yaml").path
        try extra(fixture.port, metricsPort).write(toFile: extraPath, atomically: true, encoding: .utf8)
        let server = try ServerProcess(executable: "axon", arguments: ["-c", fixture.configPath, "-c", extraPath], baseURL: fixture.baseURL)
        try await server.waitUntilHealthy()
        return (server, fixture, metricsPort)
    }

    /// The value of the one sample of `series` (name and labels as printed), or nil when absent.
    private func sample(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test("with enable_metrics the metrics listener serves the database counters, which grow with requests; client listeners do not")
    func servedWhenEnabled() async throws {
        let (server, fixture, metricsPort) = try await start { clientPort, metricsPort in
            """
            enable_metrics: true
            listeners:
              - {port: \(clientPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
              - {port: \(metricsPort), bind_addresses: ['127.0.0.1'], type: metrics}
            """
        }
        defer { Task { await server.stop() } }
        let url = "http://127.0.0.1:\(metricsPort)/_synapse/metrics"
        let before = try await TestHTTP.request("GET", url)
        #expect(before.status == 200)
        #expect(sample("axon_events_persisted_total", in: before.body) == 0)
        #expect(sample("axon_sync_responses_built_total", in: before.body) == 0)
        let reads = #"axon_database_statements_total{engine="sqlite",transaction="read"}"#
        let readsBefore = try #require(sample(reads, in: before.body))

        _ = try await fixture.login("nobody", password: "wrong")
        let after = try await TestHTTP.request("GET", url)
        #expect(try #require(sample(reads, in: after.body)) > readsBefore)
        let logins = after.body.split(separator: "\n").filter {
            $0.hasPrefix("axon_http_requests_total{") && $0.contains(#"method="POST""#) && $0.contains(#"/login""#) && $0.contains(#"status="403""#)
        }
        #expect(logins.count == 1, "requests are counted per method, route template and status: \(after.body)")
        #expect(after.body.contains("axon_http_request_duration_seconds"), "and timed per route")

        let onClientListener = try await TestHTTP.request("GET", fixture.baseURL + "/_synapse/metrics")
        #expect(onClientListener.status == 404)
        await server.stop()
    }

    @Test("without enable_metrics a metrics listener is not opened, as in Synapse")
    func closedWhenDisabled() async throws {
        let (server, _, metricsPort) = try await start { clientPort, metricsPort in
            """
            listeners:
              - {port: \(clientPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
              - {port: \(metricsPort), bind_addresses: ['127.0.0.1'], type: metrics}
            """
        }
        defer { Task { await server.stop() } }
        #expect(await FreePort.isBindable(metricsPort))
        #expect(server.log.contains("enable_metrics is not true"))
        await server.stop()
    }
}
