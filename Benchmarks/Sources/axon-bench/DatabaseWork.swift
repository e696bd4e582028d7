import AsyncHTTPClient
import Foundation
import MatrixTypes
import NIOCore
import NIOHTTP1

/// The database work a server did over one workload, from the counters on its metrics endpoint (Axon's
/// `/_synapse/metrics` with `enable_metrics`): statements and round trips, per persisted event and per sync
/// response built.
struct DatabaseWork: Sendable {
    /// Counter totals by name and `transaction` label (`read`, `write`, or empty for counters without one).
    private struct Totals: Sendable {
        var values: [String: Double] = [:]

        subscript(name: String, use: String) -> Double { values["\(name)|\(use)"] ?? 0 }

        static func - (after: Totals, before: Totals) -> Totals {
            Totals(values: after.values.merging(before.values.mapValues { -$0 }) { $0 + $1 })
        }
    }

    private let difference: Totals

    /// Reads the counters when the measured part of a workload starts and when it ends; a failed read leaves the
    /// figures out of the results rather than failing the workload.
    actor Meter {
        private let http: HTTPClient
        private let url: String
        private var start: Totals?
        private(set) var work: DatabaseWork?
        private(set) var failure: String?

        init(http: HTTPClient, url: String) {
            self.http = http
            self.url = url
        }

        func mark(_ part: MeasuredPart) async {
            do throws(BenchError) {
                switch part {
                case .starts: start = try await scrape()
                case .ended: if let start { work = DatabaseWork(difference: try await scrape() - start) }
                }
            } catch {
                failure = error.description
            }
        }

        /// What to add to a result document: the figures, or why they are missing.
        var json: JSONValue? {
            if let work { return work.json }
            return failure.map { ["error": .string($0)] }
        }

        private func scrape() async throws(BenchError) -> Totals {
            let text: String
            do {
                let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
                guard response.status == .ok else {
                    throw BenchError.http(method: "GET", path: url, status: response.status.code, errcode: nil, message: nil)
                }
                text = String(buffer: try await response.body.collect(upTo: 16 << 20))
            } catch let error as BenchError {
                throw error
            } catch {
                throw .transport(method: "GET", path: url, reason: "\(error)")
            }
            return Self.parse(text)
        }

        /// Sums Prometheus text-format samples of Axon's counters by name and `transaction` label.
        private static func parse(_ text: String) -> Totals {
            var totals = Totals()
            for line in text.split(separator: "\n") where line.hasPrefix("axon_") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                let series = line[..<space]
                let name = series.prefix { $0 != "{" }
                var use = ""
                if let range = series.range(of: "transaction=\"") {
                    use = String(series[range.upperBound...].prefix { $0 != "\"" })
                }
                totals.values["\(name)|\(use)", default: 0] += value
            }
            return totals
        }
    }

    var json: JSONValue {
        let events = difference["axon_events_persisted_total", ""]
        let responses = difference["axon_sync_responses_built_total", ""]
        func count(_ name: String) -> JSONValue {
            ["read": .double(difference[name, "read"]), "write": .double(difference[name, "write"])]
        }
        var document: JSONValue = [
            "events_persisted": .double(events), "sync_responses_built": .double(responses),
            "statements": count("axon_database_statements_total"), "round_trips": count("axon_database_round_trips_total"),
        ]
        if events > 0 {
            document["per_event_written"] = [
                "write_statements": .double(difference["axon_database_statements_total", "write"] / events),
                "write_round_trips": .double(difference["axon_database_round_trips_total", "write"] / events),
            ]
        }
        if responses > 0 {
            document["per_sync_response"] = [
                "read_statements": .double(difference["axon_database_statements_total", "read"] / responses),
                "read_round_trips": .double(difference["axon_database_round_trips_total", "read"] / responses),
            ]
        }
        return document
    }
}
