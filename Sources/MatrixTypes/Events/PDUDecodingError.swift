/// Why a JSON document is not a valid event for its room version; such an event is dropped, not rejected.
public enum PDUDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidJSON(JSONParseError)
    case notAnObject
    /// The canonical encoding exceeds ``PDU/maximumByteCount``.
    case tooLarge(byteCount: Int)
    /// The room version requires canonical JSON and the event holds a value outside it.
    case notCanonical(JSONEncodingError)
    case missingField(String)
    case invalidField(String, reason: String)

    public var description: String {
        switch self {
        case .invalidJSON(let error): "Event is not valid JSON: \(error)"
        case .notAnObject: "An event must be a JSON object"
        case .tooLarge(let byteCount): "Event is \(byteCount) bytes, more than \(PDU.maximumByteCount)"
        case .notCanonical(let error): "Event is not canonical JSON: \(error.message)"
        case .missingField(let name): "Event has no '\(name)'"
        case .invalidField(let name, let reason): "Event's '\(name)' is invalid: \(reason)"
        }
    }
}
