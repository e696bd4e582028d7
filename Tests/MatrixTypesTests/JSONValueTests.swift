import MatrixTypes
import Testing

@Suite("JSONValue accessors")
struct JSONValueTests {
    let value: JSONValue = [
        "string": "s", "integer": 7, "double": 0.5, "bool": true, "null": nil,
        "array": [1, "two"], "object": ["k": "v"],
    ]

    @Test func typedAccessorsMatchOnlyTheirCase() {
        #expect(value["string"]?.stringValue == "s")
        #expect(value["integer"]?.integerValue == 7)
        #expect(value["integer"]?.doubleValue == nil)
        #expect(value["double"]?.doubleValue == 0.5)
        #expect(value["bool"]?.boolValue == true)
        #expect(value["integer"]?.boolValue == nil)
        #expect(value["null"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["array"]?.arrayValue?.count == 2)
        #expect(value["object"]?.objectValue == ["k": "v"])
        #expect(value["string"]?["k"] == nil)
    }

    @Test func indexesArrays() {
        #expect(value["array"]?[1] == "two")
        #expect(value["array"]?[2] == nil)
        #expect(value["array"]?[-1] == nil)
        #expect(value[0] == nil)
    }

    @Test func setsAndRemovesMembers() {
        var object = value
        object["new"] = ["nested": 1]
        object["string"] = nil
        #expect(object["new"]?["nested"] == 1)
        #expect(object["string"] == nil)
        #expect(object.objectValue?.count == value.objectValue?.count)
    }

    @Test func integersAndBooleansStayDistinct() {
        #expect(JSONValue.integer(1) != JSONValue.bool(true))
        #expect(JSONValue.integer(1) != JSONValue.double(1))
    }
}
