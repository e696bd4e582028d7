import KeyBackup
import MatrixTypes
import Testing

/// The spec's rules for which of two keys of a session a backup keeps, and the wire form of keys and sessions.
@Suite struct KeyRankTests {
    private func rank(_ verified: Bool, _ index: Int64, _ forwarded: Int64) -> KeyRank {
        KeyRank(isVerified: verified, firstMessageIndex: index, forwardedCount: forwarded)
    }

    @Test func verificationDecidesFirstThenTheLowerIndexThenTheFewerForwards() {
        #expect(rank(true, 9, 9) > rank(false, 0, 0), "a verified key beats an unverified one whatever its index")
        #expect(rank(false, 0, 0) < rank(true, 9, 9))
        #expect(rank(false, 1, 9) > rank(false, 2, 0), "between unverified keys the lower index wins, however often forwarded")
        #expect(rank(true, 1, 9) > rank(true, 2, 0))
        #expect(rank(true, 3, 1) > rank(true, 3, 2), "with equal index the fewer forwards win")
        #expect(!(rank(true, 3, 1) > rank(true, 3, 1)), "an equal key does not replace the stored one")
        #expect(!(rank(false, 0, 0) > rank(true, 5, 5)), "unlike Synapse, a lower index does not beat verification")
        #expect(!(rank(false, 5, 0) > rank(false, 4, 3)), "unlike Synapse, fewer forwards do not beat a lower index")
    }

    @Test func aKeyReadsAndWritesTheSpecShape() throws {
        let json: JSONValue = [
            "first_message_index": 3, "forwarded_count": 1, "is_verified": true, "session_data": ["ciphertext": "c", "mac": "m"],
        ]
        let key = try RoomKey(json: json, place: "the session")
        #expect(key == RoomKey(firstMessageIndex: 3, forwardedCount: 1, isVerified: true, sessionData: ["ciphertext": "c", "mac": "m"]))
        #expect(key.json == json)
        #expect(key.rank == KeyRank(isVerified: true, firstMessageIndex: 3, forwardedCount: 1))
    }

    @Test(arguments: [
        #"[]"#,
        #"{"forwarded_count": 0, "is_verified": false, "session_data": {}}"#,
        #"{"first_message_index": "0", "forwarded_count": 0, "is_verified": false, "session_data": {}}"#,
        #"{"first_message_index": 0.5, "forwarded_count": 0, "is_verified": false, "session_data": {}}"#,
        #"{"first_message_index": 0, "forwarded_count": null, "is_verified": false, "session_data": {}}"#,
        #"{"first_message_index": 0, "forwarded_count": 0, "is_verified": 1, "session_data": {}}"#,
        #"{"first_message_index": 0, "forwarded_count": 0, "is_verified": false, "session_data": "c2Vzc2lvbg"}"#,
    ])
    func aKeyOfAnotherShapeIsRefused(_ text: String) throws {
        let json = try JSONValue.parse(text)
        let error = #expect(throws: KeyBackupError.self) { try RoomKey(json: json, place: "the session") }
        #expect(error?.clientError.code == .badJSON, "\(text)")
    }

    @Test func uploadedRoomsAreReadSessionBySession() throws {
        let key: JSONValue = ["first_message_index": 0, "forwarded_count": 0, "is_verified": false, "session_data": [:]]
        let sessions = try BackedUpSession.sessions(inRooms: ["!a:example.org": ["sessions": ["s1": key, "s2": key]], "!b:example.org": ["sessions": [:]]])
        #expect(Set(sessions.map { "\($0.roomID) \($0.sessionID)" }) == ["!a:example.org s1", "!a:example.org s2"])
        #expect(BackedUpSession.roomsJSON(sessions)["!a:example.org"]?["sessions"]?["s2"] == key)
        #expect(BackedUpSession.roomsJSON([]) == [:])
        #expect(BackedUpSession.sessionsJSON([]) == ["sessions": [:]])
    }

    @Test(arguments: [
        (#"{"not-a-room": {"sessions": {}}}"#, ErrorCode.invalidParameter),
        (#"{"!a:example.org": {"sessions": {"": {"first_message_index": 0, "forwarded_count": 0, "is_verified": false, "session_data": {}}}}}"#, .invalidParameter),
        (#"{"!a:example.org": []}"#, .badJSON),
        (#"{"!a:example.org": {}}"#, .badJSON),
        (#"{"!a:example.org": {"sessions": []}}"#, .badJSON),
        (#"{"!a:example.org": {"sessions": {"s": {"first_message_index": 0}}}}"#, .badJSON),
    ])
    func malformedRoomsAreRefused(_ text: String, _ code: ErrorCode) throws {
        let rooms = try #require(try JSONValue.parse(text).objectValue)
        let error = #expect(throws: KeyBackupError.self) { try BackedUpSession.sessions(inRooms: rooms) }
        #expect(error?.clientError.code == code, "\(text)")
    }

    @Test func sessionIDsAreBoundedAndHoldNoNUL() throws {
        try BackedUpSession.checkSessionID(String(repeating: "s", count: BackedUpSession.maximumSessionIDBytes))
        for refused in ["", String(repeating: "s", count: BackedUpSession.maximumSessionIDBytes + 1), "a\u{0}b"] {
            #expect(throws: KeyBackupError.self) { try BackedUpSession.checkSessionID(refused) }
        }
    }
}
