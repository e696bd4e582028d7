import Foundation
import MatrixTypes
import Testing

@Suite("User IDs")
struct UserIDTests {
    @Test func parsesLocalpartAndServer() throws {
        let user = try UserID("@alice:example.org:8448")
        #expect(user.localpart == "alice")
        #expect(user.serverName == (try ServerName("example.org:8448")))
        #expect(user.hasStrictLocalpart)
        #expect(user.isCompliant)
        #expect(user.description == "@alice:example.org:8448")
    }

    @Test func acceptsHistoricalLocalparts() throws {
        for localpart in ["Alice", "", "a b", "😀", "ünïcode", "u\u{308}n", "tab\there", "a!b#c"] {
            let user = try UserID("@\(localpart):example.org")
            #expect(Array(user.localpart.utf8) == Array(localpart.utf8))
            #expect(!user.hasStrictLocalpart)
        }
        #expect(try UserID("@Alice:x").isCompliant)
        #expect(try !UserID("@:x").isCompliant)
        #expect(try !UserID("@é:x").isCompliant)
    }

    @Test func strictGrammarAllowsOnlyTheCurrentCharacterSet() {
        #expect(UserID.isStrictLocalpart("a.b_c=d-e/f+g0"))
        #expect(!UserID.isStrictLocalpart(""))
        #expect(!UserID.isStrictLocalpart("A"))
        #expect(!UserID.isStrictLocalpart("a:b"))
    }

    @Test(arguments: ["alice:example.org", "@alice", "@alice:", "@alice:bad host", "@a\u{0}b:example.org", "#a:b"])
    func rejectsInvalidIDs(text: String) {
        #expect(throws: IdentifierError.self) { try UserID(text) }
    }

    @Test func limitsLengthTo255Bytes() throws {
        let server = ":example.org"
        let fits = "@" + String(repeating: "a", count: 255 - 1 - server.utf8.count) + server
        #expect(try UserID(fits).rawValue.utf8.count == 255)
        #expect(throws: IdentifierError.self) { try UserID("@a" + fits.dropFirst()) }
        let multibyte = "@" + String(repeating: "é", count: 125) + server
        #expect(throws: IdentifierError.self) { try UserID(multibyte) }
    }

    @Test func buildsFromParts() throws {
        let user = try UserID(localpart: "bob", serverName: ServerName("example.org"))
        #expect(user.rawValue == "@bob:example.org")
    }

    @Test func equalityIsByteForByte() throws {
        let precomposed = try UserID("@\u{E9}:x")
        let decomposed = try UserID("@e\u{301}:x")
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
        #expect(decomposed < precomposed)
    }

    @Test func codesAsAString() throws {
        let users = try JSONDecoder().decode([UserID].self, from: Data(#"["@a:b.c"]"#.utf8))
        #expect(users == [try UserID("@a:b.c")])
        #expect(String(decoding: try JSONEncoder().encode(users), as: UTF8.self) == #"["@a:b.c"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UserID].self, from: Data(#"["nope"]"#.utf8)) }
    }
}

@Suite("Room IDs, event IDs and aliases")
struct RoomIdentifierTests {
    static let hash = "Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"
    static let standardHash = "acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk"

    @Test func parsesServerScopedRoomIDs() throws {
        let room = try RoomID("!opaque:example.org")
        #expect(room.serverName == (try ServerName("example.org")))
        #expect(room.opaquePart == "opaque:example.org")
        #expect(room.createEventID == nil)
        #expect(room.isValid(for: .serverScoped))
        #expect(!room.isValid(for: .createEventHash))
    }

    @Test func parsesVersion12RoomIDsWithoutServer() throws {
        let room = try RoomID("!" + Self.hash)
        #expect(room.serverName == nil)
        #expect(room.createEventID == (try EventID("$" + Self.hash)))
        #expect(room.isValid(for: .createEventHash))
        #expect(try RoomID(createEventID: EventID("$" + Self.hash)) == room)
    }

    @Test(arguments: ["opaque:example.org", "!", "!short", "!" + standardHash, "!opaque:", "!a\u{0}:b", "!" + hash + "A"])
    func rejectsInvalidRoomIDs(text: String) {
        #expect(throws: IdentifierError.self) { try RoomID(text) }
    }

    @Test func recognisesEachEventIDFormat() throws {
        let v1 = try EventID("$abc123:example.org")
        #expect(v1.serverName == (try ServerName("example.org")))
        #expect(v1.isValid(for: .serverScoped))
        #expect(!v1.isValid(for: .referenceHash))

        let v3 = try EventID("$" + Self.standardHash)
        #expect(v3.serverName == nil)
        #expect(v3.isValid(for: .referenceHash))
        #expect(!v3.isValid(for: .urlSafeReferenceHash))

        let v4 = try EventID("$" + Self.hash)
        #expect(v4.isValid(for: .urlSafeReferenceHash))
        #expect(!v4.isValid(for: .referenceHash))
        #expect(v4.opaquePart == Substring(Self.hash))
    }

    @Test(arguments: ["$", "$short", "abc:example.org", "$abc:", "$" + hash.dropLast() + "+", "$" + hash + "=", "$a\u{0}:b"])
    func rejectsInvalidEventIDs(text: String) {
        #expect(throws: IdentifierError.self) { try EventID(text) }
    }

    @Test func parsesAliases() throws {
        let alias = try RoomAlias("#Room Name 😀:example.org")
        #expect(Array(alias.localpart.utf8) == Array("Room Name 😀".utf8))
        #expect(alias.serverName.rawValue == "example.org")
        #expect(try RoomAlias(localpart: "x", serverName: ServerName("y.z")).rawValue == "#x:y.z")
        #expect(throws: IdentifierError.self) { try RoomAlias("#nolocal") }
        #expect(throws: IdentifierError.self) { try RoomAlias("@a:b") }
        #expect(throws: IdentifierError.self) { try RoomAlias("#" + String(repeating: "a", count: 250) + ":example.org") }
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(throws: IdentifierError("User ID 'alice' must start with '@'")) { try UserID("alice") }
        #expect(throws: IdentifierError("Room alias '#a' has no ':' before its server name")) { try RoomAlias("#a") }
    }
}
