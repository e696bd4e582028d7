/// One SRV record: where a service of a name is offered.
public struct ServiceRecord: Sendable, Hashable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: Int
    /// The host offering it, without the trailing dot; "" (the root, written ".") means the service is not offered.
    public var target: String
    public var ttl: UInt32

    public init(priority: UInt16, weight: UInt16, port: Int, target: String, ttl: UInt32) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
        self.ttl = ttl
    }

    /// The order to try `records` in (RFC 2782): lowest priority first; within a priority, drawn one at a time with
    /// chances in proportion to their weights (a weight of 0 still has a small chance). A lone record with the root as
    /// target says the service is not offered: no record is tried.
    public static func attemptOrder(_ records: [ServiceRecord], using generator: inout some RandomNumberGenerator) -> [ServiceRecord] {
        let offered = records.filter { !$0.target.isEmpty }
        let priorities = Set(offered.map(\.priority)).sorted()
        var ordered: [ServiceRecord] = []
        for priority in priorities {
            // Zero weights first, as the RFC's selection lists them, so they are drawn only when the running sum is 0.
            var left = offered.filter { $0.priority == priority }.sorted { ($0.weight == 0 ? 0 : 1) < ($1.weight == 0 ? 0 : 1) }
            while !left.isEmpty {
                let total = left.reduce(0) { $0 + Int($1.weight) }
                let drawn = Int.random(in: 0...total, using: &generator)
                var running = 0
                let index = left.firstIndex { record in
                    running += Int(record.weight)
                    return running >= drawn
                } ?? left.count - 1
                ordered.append(left.remove(at: index))
            }
        }
        return ordered
    }

    public static func attemptOrder(_ records: [ServiceRecord]) -> [ServiceRecord] {
        var generator = SystemRandomNumberGenerator()
        return attemptOrder(records, using: &generator)
    }
}
