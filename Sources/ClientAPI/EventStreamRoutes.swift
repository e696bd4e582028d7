public import MatrixHTTP
public import Sync
import Accounts
import HTTPTypes
import MatrixTypes
import Replication

/// The deprecated `GET /events` stream, long-polling on client readers.
public enum EventStreamRoutes {
    static let eventsQuery = RequestShape(query: [
        QueryField("from", .string, example: "a1_0_0_0_0.0.0"),
        QueryField("timeout", .integer(0...Int64(Int32.max)), example: "0"),
        QueryField("room_id", .string, example: "!room:example.org"),
        QueryField("limit", .integer(0...Int64(Int32.max)), example: "10"),
    ])

    /// Synapse waits 30 s when no timeout is given; a long-poll is capped as `/sync`'s is.
    static let defaultTimeout: Int64 = 30_000

    public static func routes(_ stream: EventStreamService) -> [Route] {
        ClientPath.expand("/events").map { route($0, stream) }
    }

    static func route(_ path: String, _ stream: EventStreamService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: eventsQuery) { request in
            // `END` is the old way of saying "from now", as Synapse still reads it.
            let from = try request.query["from"].flatMap { text throws(MatrixError) -> SyncToken? in
                guard text != "END" else { return nil }
                guard let token = SyncToken(text) else { throw .invalidParameter("'from' parameter is invalid") }
                return token
            }
            let roomID = try request.query["room_id"].map { text throws(MatrixError) -> RoomID in
                guard let roomID = try? RoomID(text) else { throw .invalidParameter("Invalid room ID '\(text)'") }
                return roomID
            }
            // As Synapse: a guest streams one room at a time.
            if request.requester.isGuest, roomID == nil {
                throw MatrixError(.unknown, "Guest users must specify room_id param", status: 400)
            }
            let timeout = min(request.query["timeout"].flatMap { Int64($0) } ?? defaultTimeout, SyncRoutes.maximumTimeout)
            let limit = min(request.query["limit"].flatMap { Int($0) } ?? 10, 1000)
            return .json(try await stream.events(
                EventStreamService.Request(
                    user: request.requester.userID, deviceID: request.requester.deviceID, from: from, timeout: .milliseconds(timeout),
                    roomID: roomID, limit: limit == 0 ? 10 : limit, setsPresence: !request.requester.isGuest
                )
            ))
        }
    }
}
