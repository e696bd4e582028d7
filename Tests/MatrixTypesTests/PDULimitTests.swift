import MatrixTypes
import Testing

/// The limits Synapse 1.163 applies whenever it builds an event, whether a client sent it or another server did;
/// an event one server accepts and the other refuses splits the room. Synapse's own verdicts on these boundaries are
/// in the Synapse cross-check fixtures (MatrixCryptoTests).
@Suite("PDU limits shared with Synapse")
struct PDULimitTests {
    static let id = try! EventID(PDUSamples.hashEventID)

    /// A v4 message whose deepest member makes the event `levels` deep (the event object is level 1).
    static func message(nestedLevels levels: Int) throws -> JSONValue {
        var inner: JSONValue = 0
        for _ in 0 ..< levels - 2 { inner = [inner] }
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["content"] = ["body": "deep", "n": inner]
        return json
    }

    @Test(arguments: RoomVersion.all)
    func nestingUpTo127LevelsIsAccepted(version: RoomVersion) throws {
        let json = try Self.message(nestedLevels: PDU.maximumNestingDepth)
        #expect(throws: Never.self) { try PDU(json: json, eventID: Self.id, version: .v4) }
        #expect(throws: Never.self) { try JSONValue.parse(json.encoded(), options: version.eventParseOptions) }
    }

    /// Synapse's Rust event parser (serde_json) stops at 128 levels, so it refuses these events in every version.
    @Test(arguments: RoomVersion.all)
    func nesting128LevelsIsRefused(version: RoomVersion) throws {
        let json = try Self.message(nestedLevels: PDU.maximumNestingDepth + 1)
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: Self.id, version: .v4) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(json.encoded(), options: version.eventParseOptions) }
    }

    /// Synapse's `validate_canonicaljson` refuses every float from v6, integral ones included, and every integer
    /// beyond ±(2^53 - 1); earlier versions keep them.
    @Test(arguments: [JSONValue.double(1e10), .double(1.5), .integer(1 << 53), .integer(.min), .bigInteger("18446744073709551616")])
    func legacyNumbersOnlyBeforeVersion6(number: JSONValue) throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["content"] = ["n": number]
        #expect(throws: Never.self) { try PDU(json: json, eventID: Self.id, version: .v4) }
        #expect(throws: Never.self) { try PDU(json: json, eventID: Self.id, version: .v5) }
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: Self.id, version: .v6) }
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: Self.id, version: .v12) }
    }

    @Test func canonicalBoundsAreAcceptedEverywhere() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["content"] = ["max": .integer((1 << 53) - 1), "min": .integer(-(1 << 53) + 1)]
        #expect(throws: Never.self) { try PDU(json: json, eventID: Self.id, version: .v10) }
    }

    /// The size limit counts the bytes Synapse would write, floats and large integers included.
    @Test func sizeCountsLegacyNumbersAsWritten() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["content"] = ["n": .bigInteger(String(repeating: "9", count: 4300))]
        let padding = PDU.maximumByteCount - (try json.legacyCanonicalEncoded().count)
        json["content"] = ["n": .bigInteger(String(repeating: "9", count: 4300)), "p": .string(String(repeating: "x", count: padding - 7))]
        #expect(try json.legacyCanonicalEncoded().count == PDU.maximumByteCount)
        #expect(throws: Never.self) { try PDU(json: json, eventID: Self.id, version: .v4) }
        json["content"]?["p"] = .string(String(repeating: "x", count: padding - 6))
        #expect(throws: PDUDecodingError.tooLarge(byteCount: PDU.maximumByteCount + 1)) {
            try PDU(json: json, eventID: Self.id, version: .v4)
        }
    }
}
