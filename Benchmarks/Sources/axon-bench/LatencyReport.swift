import Histogram
import MatrixTypes

/// Latencies are recorded in microseconds, up to an hour, with three significant digits.
enum LatencyHistogram {
    static func make() -> Histogram<UInt64> {
        Histogram(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }
}

extension Histogram<UInt64> {
    /// Records `duration`, clamped to the trackable range so an outlier cannot be lost.
    mutating func recordDuration(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = Swift.max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        _ = record(Swift.min(UInt64(micros), highestTrackableValue))
    }
}

/// Percentiles of one latency distribution, in milliseconds.
struct LatencySummary: Sendable {
    var count: UInt64
    var p50: Double
    var p90: Double
    var p99: Double
    var max: Double
    var mean: Double

    init(_ histogram: Histogram<UInt64>) {
        count = histogram.totalCount
        let ms = { (micros: UInt64) in Double(micros) / 1000 }
        p50 = count == 0 ? 0 : ms(histogram.valueAtPercentile(50))
        p90 = count == 0 ? 0 : ms(histogram.valueAtPercentile(90))
        p99 = count == 0 ? 0 : ms(histogram.valueAtPercentile(99))
        max = count == 0 ? 0 : ms(histogram.max)
        mean = count == 0 ? 0 : histogram.mean / 1000
    }

    var json: JSONValue {
        [
            "count": .integer(Int64(count)), "p50": .double(p50), "p90": .double(p90),
            "p99": .double(p99), "max": .double(max), "mean": .double(mean),
        ]
    }

    var line: String {
        "p50 \(Self.format(p50)) ms  p90 \(Self.format(p90)) ms  p99 \(Self.format(p99)) ms  max \(Self.format(max)) ms  (n=\(count))"
    }

    /// Two decimals without Foundation's formatters.
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
