public import MatrixTypes

/// Checks a filter (uploaded, or inline on `/sync`) against the spec's `Filter` definition, as Synapse checks it
/// against its schema: known fields must have the declared types, user and room ID lists must hold valid IDs,
/// unknown fields are allowed. A filter that fails is refused rather than silently read as something else.
public enum FilterValidation {
    /// The first violation found, worded for the client, or `nil` when the filter is valid.
    public static func problem(in filter: JSONValue) -> String? {
        guard let top = filter.objectValue else { return "The filter must be a JSON object" }
        for field in ["presence", "account_data"] {
            if let problem = eventFilterProblem(top[field], at: field, fields: eventFilterFields) { return problem }
        }
        if let room = top["room"] {
            guard let fields = room.objectValue else { return "'room' must be an object" }
            if let problem = check(fields, roomFilterFields, at: "room") { return problem }
            for section in ["state", "timeline", "ephemeral", "account_data"] {
                if let problem = eventFilterProblem(fields[section], at: "room.\(section)", fields: roomEventFilterFields) {
                    return problem
                }
            }
        }
        if let format = top["event_format"], format != "client", format != "federation" {
            return "'event_format' must be 'client' or 'federation'"
        }
        return check(top, ["event_fields": .strings], at: nil)
    }

    /// What a known field must hold.
    enum Kind {
        case number, boolean, strings, userIDs, roomIDs

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.number, .integer), (.number, .bigInteger), (.number, .double), (.boolean, .bool): true
            case (.strings, .array(let items)): items.allSatisfy { $0.stringValue != nil }
            case (.userIDs, .array(let items)): items.allSatisfy { $0.stringValue.map { (try? UserID($0)) != nil } ?? false }
            case (.roomIDs, .array(let items)): items.allSatisfy { $0.stringValue.map { (try? RoomID($0)) != nil } ?? false }
            default: false
            }
        }

        var expected: String {
            switch self {
            case .number: "a number"
            case .boolean: "a boolean"
            case .strings: "an array of strings"
            case .userIDs: "an array of user IDs"
            case .roomIDs: "an array of room IDs"
            }
        }
    }

    static let eventFilterFields: [String: Kind] = [
        "limit": .number, "senders": .userIDs, "not_senders": .userIDs, "types": .strings, "not_types": .strings,
    ]

    static let roomEventFilterFields: [String: Kind] = eventFilterFields.merging([
        "rooms": .roomIDs, "not_rooms": .roomIDs, "contains_url": .boolean, "lazy_load_members": .boolean,
        "include_redundant_members": .boolean, "unread_thread_notifications": .boolean,
    ]) { first, _ in first }

    static let roomFilterFields: [String: Kind] = ["rooms": .roomIDs, "not_rooms": .roomIDs, "include_leave": .boolean]

    private static func eventFilterProblem(_ value: JSONValue?, at path: String, fields: [String: Kind]) -> String? {
        guard let value else { return nil }
        guard let object = value.objectValue else { return "'\(path)' must be an object" }
        return check(object, fields, at: path)
    }

    private static func check(_ object: JSONObject, _ fields: [String: Kind], at path: String?) -> String? {
        for (name, kind) in fields.sorted(by: { $0.key < $1.key }) {
            guard let value = object[name], !kind.accepts(value) else { continue }
            return "'\(path.map { "\($0).\(name)" } ?? name)' must be \(kind.expected)"
        }
        return nil
    }
}
