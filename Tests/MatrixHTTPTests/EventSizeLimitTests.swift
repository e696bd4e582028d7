import AxonTesting
import HTTPTypes
import MatrixTypes
import Testing

/// An event whose signed PDU would pass 65,536 bytes is `413 M_TOO_LARGE` and leaves no row, however it is sent.
@Suite struct EventSizeLimitTests {
    /// Content that fits the request body limit but not, once signed, a PDU.
    static let oversized: JSONValue = ["body": .string(String(repeating: "x", count: PDU.maximumByteCount))]
    /// Content whose PDU lands just under the limit.
    static let fitting: JSONValue = ["body": .string(String(repeating: "x", count: PDU.maximumByteCount - 2_000))]

    @Test func sendStateAndCreateRoomRefuseAnOversizedEventAndPersistNothing() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("size-alice")
            let room = try await client.createRoom(alice)
            let before = try await client.tableCount("events")

            let sent = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/send/m.room.message/big", Self.oversized, token: alice.token)
            #expect(sent.status == 413 && sent.errcode == "M_TOO_LARGE", "\(sent)")
            let state = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/state/m.custom/key", Self.oversized, token: alice.token)
            #expect(state.status == 413 && state.errcode == "M_TOO_LARGE", "\(state)")
            let roomsBefore = try await client.tableCount("room_ids")
            let created = try await client.call(
                .post, "/_matrix/client/v3/createRoom",
                ["initial_state": [["type": "m.custom", "state_key": "", "content": Self.oversized]]], token: alice.token
            )
            #expect(created.status == 413 && created.errcode == "M_TOO_LARGE", "\(created)")
            #expect(try await client.tableCount("events") == before, "no event row of any refused request")
            #expect(try await client.tableCount("room_ids") == roomsBefore, "the refused room was not started")

            let fits = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/send/m.room.message/fits", Self.fitting, token: alice.token)
            #expect(fits.status == 200, "\(fits)")
            #expect(try await client.tableCount("events") == before + 1)
        }
    }
}
