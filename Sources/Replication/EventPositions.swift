public import MatrixTypes

/// The events stream's position as a sync token carries it: each writer's persisted-up-to position, since several
/// writers (event persisters) share one ID sequence and one may commit IDs above another's unfinished ones. Every
/// event of a room comes from the room's owner (`RoomOwnership`), so a room is read up to its owner's position: a
/// slow or stopped writer holds back its own rooms only, and no event is skipped or repeated however the writers'
/// commits interleave.
///
/// Text: `N` when every writer stands at `N` (always, with one writer), else `N~tag~d1.d2…`: the lowest position, the
/// writer list's tag (hex) and each writer's distance above the lowest, in `stream_writers.events` order.
public struct EventPositions: Sendable, Hashable, CustomStringConvertible {
    /// Every writer has reached it.
    public let minimum: Int64
    /// Each writer's position, in the order of the writer list tagged `tag`; empty when all stand at `minimum`.
    public let writers: [Int64]
    public let tag: UInt32

    /// Every writer at `position`.
    public init(_ position: Int64) {
        self.init(minimum: position, writers: [], tag: 0)
    }

    /// Writer `i` at `writers[i]` of the list tagged `tag`.
    public init(writers: [Int64], tag: UInt32) {
        let lowest = writers.min() ?? 0
        let uniform = writers.allSatisfy { $0 == lowest }
        self.init(minimum: lowest, writers: uniform ? [] : writers, tag: uniform ? 0 : tag)
    }

    private init(minimum: Int64, writers: [Int64], tag: UInt32) {
        self.minimum = minimum
        self.writers = writers
        self.tag = tag
    }

    /// Where one writer of the list these positions are for stands.
    public func position(ofWriter index: Int) -> Int64 {
        writers.isEmpty ? minimum : writers[index]
    }

    /// How far `roomID`'s events are covered: its owner's position.
    public func position(in roomID: RoomID, ownership: RoomOwnership) -> Int64 {
        position(ofWriter: ownership.index(of: roomID))
    }

    /// These positions as the writers `ownership` lists: positions recorded under another list (a token from before
    /// `stream_writers.events` changed) are read at their lowest, which may repeat a few events but skips none.
    public func read(under ownership: RoomOwnership) -> EventPositions {
        guard !writers.isEmpty, tag != ownership.tag || writers.count != ownership.writers.count else { return self }
        return EventPositions(minimum)
    }

    /// Whether every writer stands at or beyond where `other` puts it (both read under the same writer list).
    public func reaches(_ other: EventPositions) -> Bool {
        guard let count = Self.commonCount(self, other) else { return minimum >= other.writers.max() ?? other.minimum }
        guard count > 0 else { return minimum >= other.minimum }
        return (0..<count).allSatisfy { position(ofWriter: $0) >= other.position(ofWriter: $0) }
    }

    /// Each writer at the lower of its two positions.
    public func lowered(to other: EventPositions) -> EventPositions {
        combined(with: other, by: min)
    }

    /// Each writer at the higher of its two positions.
    public func raised(to other: EventPositions) -> EventPositions {
        combined(with: other, by: max)
    }

    private func combined(with other: EventPositions, by pick: (Int64, Int64) -> Int64) -> EventPositions {
        guard let count = Self.commonCount(self, other), count > 0 else { return EventPositions(pick(minimum, other.minimum)) }
        return EventPositions(
            writers: (0..<count).map { pick(position(ofWriter: $0), other.position(ofWriter: $0)) }, tag: writers.isEmpty ? other.tag : tag
        )
    }

    /// How many writers two positions compare over, or `nil` when they were recorded under different writer lists.
    private static func commonCount(_ first: EventPositions, _ second: EventPositions) -> Int? {
        if first.writers.isEmpty || second.writers.isEmpty { return max(first.writers.count, second.writers.count) }
        guard first.tag == second.tag, first.writers.count == second.writers.count else { return nil }
        return first.writers.count
    }

    /// Writers a token may list: a deployment runs a handful of event persisters.
    static let writerLimit = 64

    public init?(_ text: Substring) {
        let parts = text.split(separator: "~", omittingEmptySubsequences: false)
        guard let minimum = Int64(parts[0]), minimum >= 0 else { return nil }
        guard parts.count > 1 else {
            self.init(minimum)
            return
        }
        let distances = parts.count == 3 ? parts[2].split(separator: ".", omittingEmptySubsequences: false) : []
        guard parts.count == 3, let tag = UInt32(parts[1], radix: 16), (2...Self.writerLimit).contains(distances.count) else { return nil }
        var writers: [Int64] = []
        for text in distances {
            guard let distance = Int64(text), distance >= 0 else { return nil }
            let (position, overflow) = minimum.addingReportingOverflow(distance)
            guard !overflow else { return nil }
            writers.append(position)
        }
        self.init(writers: writers, tag: tag)
    }

    public var description: String {
        guard !writers.isEmpty else { return String(minimum) }
        let distances = writers.map { String($0 - minimum) }.joined(separator: ".")
        return "\(minimum)~\(String(tag, radix: 16))~\(distances)"
    }
}
