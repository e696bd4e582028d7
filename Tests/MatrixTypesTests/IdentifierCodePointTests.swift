@testable import MatrixTypes
import Testing

/// Identifiers are split on code points, as Synapse splits them: a combining mark joins the sigil or a colon into
/// one `Character`, and a grapheme-based split would then miss the sigil or pick a later colon.
@Suite("Identifiers split on code points")
struct IdentifierCodePointTests {
    @Test func combiningMarkRightAfterTheSigilBelongsToTheLocalpart() throws {
        let user = try UserID("@\u{301}x:example.org")
        #expect(Array(user.localpart.unicodeScalars) == ["\u{301}", "x"])
        #expect(user.serverName.rawValue == "example.org")
        #expect(Array(try RoomAlias("#\u{301}:example.org").localpart.unicodeScalars) == ["\u{301}"])
        #expect(try RoomID("!\u{301}r:example.org").opaquePart.unicodeScalars.first == "\u{301}")
        #expect(try EventID("$\u{301}e:example.org").opaquePart.unicodeScalars.first == "\u{301}")
    }

    /// Synapse's `DomainSpecificString.from_string` splits `@a:\u{301}b:example.org` into `a` and
    /// `\u{301}b:example.org`; a `Character` split skips the first colon and reads `a:\u{301}b` on `example.org`,
    /// which would make the event need `example.org`'s signature instead of one nobody can give.
    @Test func splitsAtTheFirstColonEvenWhenACombiningMarkFollowsIt() throws {
        let parts = try SigilledIdentifier.parts(of: "@a:\u{301}b:example.org", sigil: "@", kind: "User ID")
        #expect(Array(parts.localpart.utf8) == Array("a".utf8))
        #expect(Array(parts.domain.utf8) == Array("\u{301}b:example.org".utf8))
    }

    @Test func domainStartingWithACombiningMarkIsNotAServerName() {
        #expect(throws: IdentifierError.self) { try UserID("@a:\u{301}b:example.org") }
        #expect(throws: IdentifierError.self) { try RoomAlias("#a:\u{301}b:example.org") }
        #expect(throws: IdentifierError.self) { try RoomID("!a:\u{301}b:example.org") }
        #expect(throws: IdentifierError.self) { try EventID("$a:\u{301}b:example.org") }
    }

    /// A sigil carrying a combining mark is still the sigil, so the rest must still be a 43-character hash.
    @Test func hashIdentifiersCountTheCombiningMark() {
        let hash = "Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"
        #expect(throws: IdentifierError.self) { try EventID("$\u{301}" + hash) }
        #expect(throws: IdentifierError.self) { try RoomID("!\u{301}" + hash) }
        #expect(throws: IdentifierError.self) { try EventID("$\u{301}" + hash.dropFirst()) }
    }

    @Test(arguments: ["example.org:\u{301}80", "example.org\u{301}:80", "[::1]\u{301}", "[\u{301}::1]", "[::1]:\u{301}8"])
    func serverNamesWithCombiningMarksAreRefused(text: String) {
        #expect(throws: IdentifierError.self) { try ServerName(text) }
    }
}
