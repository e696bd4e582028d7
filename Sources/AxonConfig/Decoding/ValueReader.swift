/// Typed reads of one YAML value. A read that fails records an error naming the path and the offending
/// value and returns `nil`, so the caller falls back to its default and decoding continues.
struct ValueReader {
    let node: ConfigNode
    let path: ConfigPath
    let log: DiagnosticLog

    func error(_ message: String) {
        log.error(message, at: path, node: node)
    }

    func warning(_ message: String) {
        log.warning(message, at: path, node: node)
    }

    func expected(_ what: String) {
        error("expected \(what), got \(node.summary)")
    }

    /// Numbers are accepted as written (`password: 12345`, `default_room_version: 10`), as Synapse
    /// passes them through `str()` or straight to libraries that do.
    func string() -> String? {
        switch node.value {
        case .string(let string): return string
        case .int, .double: return node.text
        default:
            expected("a string")
            return nil
        }
    }

    /// Booleans, plus the spellings Python's `strtobool` accepts, which Synapse uses for several flags.
    func bool() -> Bool? {
        switch node.value {
        case .bool(let flag): return flag
        case .int(0): return false
        case .int(1): return true
        case .string(let string):
            switch string.lowercased() {
            case "y", "yes", "t", "true", "on", "1": return true
            case "n", "no", "f", "false", "off", "0": return false
            default: break
            }
        default: break
        }
        expected("true or false")
        return nil
    }

    func int() -> Int? {
        if case .int(let value) = node.value { return value }
        expected("an integer")
        return nil
    }

    func int(in range: ClosedRange<Int>) -> Int? {
        guard let value = int() else { return nil }
        guard range.contains(value) else {
            error("expected an integer from \(range.lowerBound) to \(range.upperBound), got \(value)")
            return nil
        }
        return value
    }

    func double() -> Double? {
        switch node.value {
        case .int(let value): return Double(value)
        case .double(let value) where value.isFinite: return value
        default:
            expected("a number")
            return nil
        }
    }

    func list() -> [ValueReader]? {
        guard case .sequence(let items) = node.value else {
            expected("a list")
            return nil
        }
        return items.enumerated().map { ValueReader(node: $1, path: path.appending(index: $0), log: log) }
    }

    /// A list of strings; a bad element is reported and skipped, the rest kept.
    func stringList() -> [String]? {
        list()?.compactMap { $0.string() }
    }

    /// A single string or a list of them, as `stream_writers` entries are written.
    func stringOrList() -> [String]? {
        if case .sequence = node.value { return stringList() }
        return string().map { [$0] }
    }

    func mapping() -> MappingReader? {
        guard case .mapping = node.value else {
            expected("a mapping")
            return nil
        }
        return MappingReader(node: node, path: path, log: log)
    }

    /// A byte count as Synapse's `parse_size` reads it: an integer, or digits with a `K`, `M`, `G` or `T`
    /// suffix (binary multiples).
    func size() -> Int? {
        switch node.value {
        case .int(let bytes) where bytes >= 0:
            return bytes
        case .string(let text):
            let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
            let (digits, multiplier) = text.last.flatMap { multipliers[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
            if let count = Int(digits), count >= 0, case let (bytes, false) = count.multipliedReportingOverflow(by: multiplier) { return bytes }
        default: break
        }
        expected("a size such as 50M, 100K or a number of bytes")
        return nil
    }

    /// Milliseconds as Synapse's `parse_duration` reads them: an integer is milliseconds; a string may end
    /// in `s`, `m`, `h`, `d`, `w` or `y`.
    func duration() -> Int? {
        switch node.value {
        case .int(let milliseconds) where milliseconds >= 0:
            return milliseconds
        case .string(let text):
            let second = 1000
            let units: [Character: Int] = [
                "s": second, "m": 60 * second, "h": 3600 * second, "d": 86400 * second,
                "w": 7 * 86400 * second, "y": 365 * 86400 * second,
            ]
            let (digits, unit) = text.last.flatMap { units[$0] }.map { (text.dropLast(), $0) } ?? (Substring(text), 1)
            if let count = Int(digits), count >= 0, case let (milliseconds, false) = count.multipliedReportingOverflow(by: unit) {
                return milliseconds
            }
        default: break
        }
        expected("a duration such as 30s, 10m, 1h, 7d or a number of milliseconds")
        return nil
    }
}
