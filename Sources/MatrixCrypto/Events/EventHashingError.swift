import MatrixTypes

/// Why an event's hashes, ID or signatures could not be computed.
public enum EventHashingError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    /// The event holds a non-finite float, which no JSON encoding can hold.
    case notCanonical(JSONEncodingError)
    /// A v1/v2 event lacks a valid `event_id` (those versions carry the ID instead of deriving it).
    case invalidEventID(String)
    /// `hashes` exists but is not an object.
    case malformedHashes
    /// `signatures` exists but is not an object of objects.
    case malformedSignatures

    public var description: String {
        switch self {
        case .notAnObject: "An event must be a JSON object"
        case .notCanonical(let error): "Event is not canonical JSON: \(error.message)"
        case .invalidEventID(let reason): "Event has no valid event_id: \(reason)"
        case .malformedHashes: "The event's 'hashes' member is not an object"
        case .malformedSignatures: "The event's 'signatures' member is not an object of objects"
        }
    }
}
