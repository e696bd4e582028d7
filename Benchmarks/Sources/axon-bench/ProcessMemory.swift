import Foundation
import MatrixTypes

/// Resident memory of the server under test, from `/proc/<pid>/status` (Linux only), in kibibytes.
struct ProcessMemory: Sendable {
    /// Peak resident set size since the process started.
    var highWaterKiB: Int
    /// Resident set size when sampled.
    var residentKiB: Int

    /// Nil when the process is gone or the file is unreadable (e.g. not Linux).
    static func sample(pid: Int32) -> ProcessMemory? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/status") else { return nil }
        var hwm: Int?
        var rss: Int?
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "VmHWM:": hwm = Int(fields[1])
            case "VmRSS:": rss = Int(fields[1])
            default: break
            }
        }
        guard let hwm, let rss else { return nil }
        return ProcessMemory(highWaterKiB: hwm, residentKiB: rss)
    }
}

extension ProcessMemory {
    /// Starts a new peak: Linux resets `VmHWM` to the current RSS on writing 5 to `clear_refs` (allowed for the
    /// user's own processes). Returns whether it worked, so a report never calls a lifetime peak a workload's.
    static func resetPeak(pid: Int32) -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/\(pid)/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}

extension ProcessMemory {
    /// The server's memory as results carry it; the peak is named for what it covers.
    func json(peakSinceStart: Bool) -> JSONValue {
        [
            "server_rss_kib": .integer(Int64(residentKiB)),
            peakSinceStart ? "server_peak_rss_kib" : "server_lifetime_peak_rss_kib": .integer(Int64(highWaterKiB)),
        ]
    }
}
