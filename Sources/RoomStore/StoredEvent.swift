public import MatrixTypes

/// An event as stored: its bytes exactly as received and the columns indexed beside them.
public struct StoredEvent: Sendable, Equatable {
    public var eventID: EventID
    public var roomID: RoomID
    public var type: String
    public var stateKey: String?
    public var sender: UserID
    public var streamOrdering: Int64
    public var topologicalOrdering: Int64
    public var outlier: Bool
    public var rejectedReason: String?
    public var softFailed: Bool
    /// The writer instance that persisted it.
    public var instanceName: String
    public var json: [UInt8]
}
