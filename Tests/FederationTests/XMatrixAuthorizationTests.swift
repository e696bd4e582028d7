import Federation
import MatrixTypes
import Testing

/// The `X-Matrix` header, read as Synapse reads it and written as the spec asks.
struct XMatrixAuthorizationTests {
    @Test func theSpecsExampleReads() throws {
        let header = #"X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key1",sig="ABCDEF...""#
        let parsed = try #require(XMatrixAuthorization(header: header))
        #expect(parsed.origin.rawValue == "origin.hs.example.com" && parsed.destination == "destination.hs.example.com")
        #expect(parsed.keyID == "ed25519:key1" && parsed.signature == "ABCDEF...")
        #expect(parsed.headerValue == header, "written the way the spec asks")
    }

    @Test func namesAnyCaseUnquotedValuesWithColonsSpacesAroundCommasEscapesAndUnknownNamesRead() throws {
        let header = "X-Matrix   ORIGIN=origin.example.org:8448 ,\tKey=\"ed25519:a\\\"b\" , sig=c2lnbmF0dXJl,extra=\"x,y\""
        let parsed = try #require(XMatrixAuthorization(header: header))
        #expect(parsed.origin.rawValue == "origin.example.org:8448")
        #expect(parsed.keyID == "ed25519:a\"b" && parsed.signature == "c2lnbmF0dXJl" && parsed.destination == nil)
        let written = XMatrixAuthorization(header: parsed.headerValue)
        #expect(written == parsed, "a value needing escapes survives a round trip: \(parsed.headerValue)")
    }

    @Test func aRepeatedNameKeepsItsLastValueAsInSynapse() throws {
        let parsed = try #require(XMatrixAuthorization(header: #"X-Matrix origin="a.example",key="ed25519:1",sig="x",sig="y""#))
        #expect(parsed.signature == "y")
    }

    @Test(arguments: [
        #"Bearer origin="a.example",key="ed25519:1",sig="x""#,
        #"X-Matrixorigin="a.example",key="ed25519:1",sig="x""#,
        #"X-Matrix key="ed25519:1",sig="x""#,
        #"X-Matrix origin="a.example",sig="x""#,
        #"X-Matrix origin="a.example",key="ed25519:1""#,
        #"X-Matrix origin="not a server",key="ed25519:1",sig="x""#,
        #"X-Matrix origin="a.example",key="ed25519:1",sig="x"#,
        #"X-Matrix origin="a.example" key="ed25519:1",sig="x""#,
        #"X-Matrix origin="a.example",,key="ed25519:1",sig="x""#,
        #"X-Matrix origin"#,
        "X-Matrix ",
        "",
    ])
    func malformedHeadersAreRefused(_ header: String) {
        #expect(XMatrixAuthorization(header: header) == nil)
    }

    @Test func anOversizedHeaderIsRefusedUnread() {
        let header = #"X-Matrix origin="a.example",key="ed25519:1",sig=""# + String(repeating: "A", count: 5_000) + "\""
        #expect(XMatrixAuthorization(header: header) == nil)
    }
}
