import HTTPTypes
import MatrixHTTP
import MatrixTypes
import Testing

@Suite struct RoutingTests {
    private func route(_ method: HTTPRequest.Method, _ path: String) -> Route {
        Route(method, path, resource: .client, role: .main) { _ in .text(path) }
    }

    @Test func eventIDsWithEncodedSlashStayOneSegment() throws {
        let segments = try #require(PathTemplate.decodedSegments(ofRawPath: "/_matrix/client/v3/rooms/!a%3Ab/event/%24abc%2Fdef%2Bg"))
        #expect(segments == ["_matrix", "client", "v3", "rooms", "!a:b", "event", "$abc/def+g"])
    }

    @Test func malformedEscapesAreRejected() {
        #expect(PathTemplate.decodedSegments(ofRawPath: "/a/%zz") == nil)
        #expect(PathTemplate.decodedSegments(ofRawPath: "/a/%f") == nil)
        #expect(PathTemplate.decodedSegments(ofRawPath: "/a/%ff%fe") == nil)
    }

    @Test func literalSegmentsWinOverParameters() {
        let registry = RouteRegistry([route(.get, "/rooms/{roomId}/state"), route(.get, "/rooms/{roomId}/{other}"), route(.get, "/rooms/joined/state")])
        guard case .found(let found, let parameters) = registry.match(.get, segments: ["rooms", "joined", "state"]) else {
            Issue.record("no match")
            return
        }
        #expect(found.path.description == "/rooms/joined/state")
        #expect(parameters.isEmpty)
        guard case .found(let other, let otherParameters) = registry.match(.get, segments: ["rooms", "!r:x", "members"]) else {
            Issue.record("no match")
            return
        }
        #expect(other.path.description == "/rooms/{roomId}/{other}")
        #expect(otherParameters == ["roomId": "!r:x", "other": "members"])
    }

    @Test func knownPathWithOtherMethodIsMethodNotAllowed() {
        let registry = RouteRegistry([route(.get, "/a/{b}")])
        guard case .methodNotAllowed(let allowed) = registry.match(.put, segments: ["a", "x"]) else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.get])
        if case .found = registry.match(.head, segments: ["a", "x"]) {} else { Issue.record("HEAD should answer as GET") }
        if case .notFound = registry.match(.get, segments: ["a", ""]) {} else { Issue.record("empty parameter must not match") }
        if case .notFound = registry.match(.get, segments: ["a"]) {} else { Issue.record("prefix must not match") }
        let state = RouteRegistry([route(.get, "/state/{eventType}/{stateKey}")])
        if case .found(_, let parameters) = state.match(.get, segments: ["state", "m.room.topic", ""]) {
            #expect(parameters["stateKey"] == "")
        } else {
            Issue.record("a trailing slash is the empty state key")
        }
        if case .notFound = state.match(.get, segments: ["state", "", "x"]) {} else { Issue.record("only the state key may be empty") }
    }

    @Test func queryParametersDecodeAndRepeat() throws {
        let query = try QueryParameters(rawQuery: "server_name=a.org&server_name=b%2Eorg&q=hello+world&flag")
        #expect(query.all("server_name") == ["a.org", "b.org"])
        #expect(query["q"] == "hello world")
        #expect(query["flag"] == "")
        #expect(throws: MatrixError.self) { try QueryParameters(rawQuery: "a=%ff") }
    }

    /// Delimiters are bytes: a combining mark after `&`, `=`, `+` or `/` does not hide it (as a `Character`
    /// comparison would, the two forming one grapheme).
    @Test func delimitersFollowedByCombiningMarksStillDelimit() throws {
        let query = try QueryParameters(rawQuery: "a=1&\u{301}b=\u{301}2&q=x+\u{301}")
        #expect(query.pairs.map(\.name) == ["a", "\u{301}b", "q"])
        #expect(query["\u{301}b"] == "\u{301}2")
        #expect(query["q"]?.unicodeScalars.elementsEqual("x \u{301}".unicodeScalars) == true)
        #expect(PathTemplate.decodedSegments(ofRawPath: "/a/\u{301}b") == ["a", "\u{301}b"])
    }
}
