import MatrixTypes

/// Where the room services hand their write units: the room writer in this process, or, when other processes persist
/// events (`stream_writers.events`), whichever of them owns the unit's room. Answers once the events are committed and
/// readable in this process.
public protocol EventWriting: Sendable {
    func write(_ unit: WriteUnit) async throws(RoomError) -> [WrittenEvent]
}

extension RoomWriter: EventWriting {}
