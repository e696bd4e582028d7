import Filters
import MatrixTypes
import Testing

/// Filters are checked against the spec's definition, field by field, as Synapse checks them against its schema.
@Suite struct FilterValidationTests {
    @Test(arguments: [
        [:],
        ["room": ["timeline": ["limit": 5, "types": ["m.room.message"], "not_senders": ["@spam:example.org"]]]],
        ["room": ["state": ["lazy_load_members": true, "include_redundant_members": false], "include_leave": true]],
        ["room": ["rooms": ["!a:example.org"], "ephemeral": ["not_rooms": ["!b:example.org"]]]],
        ["presence": ["senders": ["@a:example.org"]], "account_data": ["not_types": ["m.*"]]],
        ["event_format": "federation", "event_fields": ["content.body"]],
        ["room": ["timeline": ["limit": 2.5]]],
        ["org.example.unknown": 1, "room": ["timeline": ["org.example.unknown": "x"]]],
    ] as [JSONValue])
    func validFiltersPass(_ filter: JSONValue) {
        #expect(FilterValidation.problem(in: filter) == nil, "\(filter)")
    }

    @Test(arguments: [
        "[]",
        #"{"room": "x"}"#,
        #"{"room": {"timeline": []}}"#,
        #"{"room": {"timeline": {"limit": "10"}}}"#,
        #"{"room": {"timeline": {"limit": true}}}"#,
        #"{"room": {"state": {"lazy_load_members": "true"}}}"#,
        #"{"room": {"state": {"lazy_load_members": 1}}}"#,
        #"{"room": {"state": {"include_redundant_members": "yes"}}}"#,
        #"{"room": {"include_leave": 1}}"#,
        #"{"room": {"rooms": ["not-a-room"]}}"#,
        #"{"room": {"timeline": {"senders": ["alice"]}}}"#,
        #"{"room": {"timeline": {"types": ["m.room.message", 3]}}}"#,
        #"{"presence": {"not_senders": "@a:example.org"}}"#,
        #"{"account_data": {"types": "m.direct"}}"#,
        #"{"event_format": "raw"}"#,
        #"{"event_fields": "content"}"#,
        #"{"room": {"timeline": null}}"#,
    ])
    func invalidFiltersAreRefused(_ text: String) throws {
        let filter = try JSONValue.parse(text)
        #expect(FilterValidation.problem(in: filter) != nil, "\(text)")
    }
}
