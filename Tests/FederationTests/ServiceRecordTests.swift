import Federation
import Testing

/// The order SRV targets are tried in (RFC 2782).
struct ServiceRecordTests {
    /// A generator replaying fixed words, then random ones, so a weighted order can be predicted. (A word of 1 draws
    /// 0 from a small range; a word of 0 would be rejected by the unbiased draw and asked for again.)
    struct Replay: RandomNumberGenerator {
        var values: [UInt64]
        var rest = SystemRandomNumberGenerator()
        mutating func next() -> UInt64 { values.isEmpty ? rest.next() : values.removeFirst() }
    }

    static func record(_ target: String, priority: UInt16, weight: UInt16) -> ServiceRecord {
        ServiceRecord(priority: priority, weight: weight, port: 8448, target: target, ttl: 60)
    }

    @Test func lowerPrioritiesComeFirstWhateverTheirWeights() {
        let records = [Self.record("c", priority: 30, weight: 100), Self.record("a", priority: 10, weight: 0), Self.record("b", priority: 20, weight: 5)]
        #expect(ServiceRecord.attemptOrder(records).map(\.target) == ["a", "b", "c"])
    }

    @Test func withinAPriorityHeavierRecordsAreDrawnFirstMoreOften() {
        let records = [Self.record("light", priority: 10, weight: 1), Self.record("heavy", priority: 10, weight: 99)]
        var generator = SystemRandomNumberGenerator()
        let heavyFirst = (0..<1000).filter { _ in ServiceRecord.attemptOrder(records, using: &generator).first?.target == "heavy" }.count
        #expect(heavyFirst > 900, "\(heavyFirst) of 1000")
        #expect(Set(ServiceRecord.attemptOrder(records).map(\.target)) == ["light", "heavy"], "every record is tried")
    }

    @Test func aZeroWeightIsDrawnOnlyWhenTheDrawIsZero() {
        let records = [Self.record("weighted", priority: 10, weight: 10), Self.record("zero", priority: 10, weight: 0)]
        var zeroDraw = Replay(values: [1])
        #expect(ServiceRecord.attemptOrder(records, using: &zeroDraw).map(\.target) == ["zero", "weighted"])
        var generator = SystemRandomNumberGenerator()
        let zeroFirst = (0..<1000).filter { _ in ServiceRecord.attemptOrder(records, using: &generator).first?.target == "zero" }.count
        #expect(zeroFirst < 300, "\(zeroFirst) of 1000")
    }

    @Test func aLoneRecordForTheRootMeansTheServiceIsNotOffered() {
        #expect(ServiceRecord.attemptOrder([Self.record("", priority: 0, weight: 0)]).isEmpty)
    }
}
