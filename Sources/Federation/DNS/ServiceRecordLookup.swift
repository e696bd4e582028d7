/// SRV records asked of the name servers and kept for their time to live (within a minute and a day); "no such
/// records" is kept for five minutes. When the name servers fail, records kept earlier are used past their time, as
/// Synapse does, and kept another minute so requests meanwhile do not each wait for the name servers to time out;
/// without them the lookup fails.
public final class ServiceRecordLookup: Sendable {
    private let dns: DNSClient
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let cache: ExpiringCache<String, [ServiceRecord]>

    static let shortestKeep: Duration = .seconds(60)
    static let longestKeep: Duration = .seconds(86400)
    static let absentKeep: Duration = .seconds(300)

    /// - Parameter capacity: names whose records are kept at most; past it the cache starts over.
    public init(dns: DNSClient, capacity: Int = 10_000, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.dns = dns
        cache = ExpiringCache(capacity: capacity)
        self.clock = clock
    }

    public func records(for name: String) async throws(DNSMessage.Failure) -> [ServiceRecord] {
        let kept = cache.entry(name, at: clock())
        if let kept, kept.fresh { return kept.value }
        let answer: DNSMessage.Answer
        do {
            answer = try await dns.lookUp(name, type: .srv)
        } catch {
            guard let kept else { throw error }
            cache.store(kept.value, for: name, until: clock() + Self.shortestKeep)
            return kept.value
        }
        let records: [ServiceRecord]
        let keep: Duration
        switch answer {
        case .noSuchName:
            (records, keep) = ([], Self.absentKeep)
        case .records(let found):
            records = found.compactMap { if case .service(let record) = $0 { record } else { nil } }
            let ttl = records.map(\.ttl).min().map { Duration.seconds(Int64($0)) }
            keep = ttl.map { min(max($0, Self.shortestKeep), Self.longestKeep) } ?? Self.absentKeep
        }
        cache.store(records, for: name, until: clock() + keep)
        return records
    }
}
