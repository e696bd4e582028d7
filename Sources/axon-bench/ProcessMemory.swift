import Foundation

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
