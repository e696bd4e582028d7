public import MatrixTypes

/// What a route accepts besides its path. The responder validates every request against it before the
/// handler runs, and the bad-input test suite derives its malformed requests from the same description,
/// so the two cannot drift apart.
public struct RequestShape: Sendable {
    public var query: [QueryField]
    public var body: BodyShape

    public init(query: [QueryField] = [], body: BodyShape = .none) {
        self.query = query
        self.body = body
    }

    public static let empty = RequestShape()
}

public enum BodyShape: Sendable {
    /// The route reads no body: nothing or `{}` is accepted, anything else refused (`400 M_BAD_JSON`, or
    /// `413 M_TOO_LARGE` unread beyond a few bytes).
    case none
    /// A JSON object whose top-level fields are described (unknown fields are allowed, per the spec). An
    /// optional field may be `null`, which reads as absent, as Synapse accepts.
    case jsonObject([BodyField])
    /// As `jsonObject`, but an empty body reads as `{}`: clients call some user-interactive-auth endpoints
    /// (`DELETE /devices/{deviceId}`) without a body first.
    case jsonObjectOrEmpty([BodyField])
    /// Raw bytes such as a media upload, limited by `max_upload_size` and handed to the handler unread
    /// (`MatrixRequest.upload`), so an upload is streamed, never held whole.
    case binary

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

public struct BodyField: Sendable {
    public var name: String
    public var kind: JSONKind
    public var isRequired: Bool
    /// A valid value, used to build a valid request from which bad ones are derived.
    public var example: JSONValue

    public init(_ name: String, _ kind: JSONKind, required: Bool, example: JSONValue) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.example = example
    }
}

/// JSON value kinds a field may be declared with.
public enum JSONKind: Sendable, CaseIterable {
    case string, integer, number, boolean, object, array

    public func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string), (.integer, .integer), (.boolean, .bool), (.object, .object), (.array, .array): true
        case (.number, .integer), (.number, .double): true
        default: false
        }
    }

    public var name: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        }
    }
}

public struct QueryField: Sendable {
    public enum Kind: Sendable {
        case string
        case integer(ClosedRange<Int64>)
        case boolean
        case oneOf([String])
    }

    public var name: String
    public var kind: Kind
    public var isRequired: Bool
    public var example: String

    public init(_ name: String, _ kind: Kind, required: Bool = false, example: String) {
        self.name = name
        self.kind = kind
        self.isRequired = required
        self.example = example
    }

    /// Checks one value; the error names the parameter and what was expected.
    func validate(_ value: String) throws(MatrixError) {
        switch kind {
        case .string:
            return
        case .integer(let range):
            guard let number = Int64(value), range.contains(number) else {
                throw .invalidParameter("Query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound).")
            }
        case .boolean:
            guard value == "true" || value == "false" else {
                throw .invalidParameter("Query parameter '\(name)' must be 'true' or 'false'.")
            }
        case .oneOf(let allowed):
            guard allowed.contains(value) else {
                throw .invalidParameter("Query parameter '\(name)' must be one of \(allowed.joined(separator: ", ")).")
            }
        }
    }
}
