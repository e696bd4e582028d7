import MatrixTypes

/// Where the room services hand their write units and received events: the room writer in this process, or, when
/// other processes persist events (`stream_writers.events`), whichever of them owns the room. Answers once the events
/// are committed and readable in this process.
public protocol EventWriting: Sendable {
    func write(_ unit: WriteUnit) async throws(RoomError) -> [WrittenEvent]
    func receive(_ received: ReceivedEvents) async throws(RoomError) -> [ReceivedOutcome]
}

extension RoomWriter: EventWriting {}
