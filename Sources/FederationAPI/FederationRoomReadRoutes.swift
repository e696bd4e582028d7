import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// Rooms as other servers read them: `/event`, `/state`, `/state_ids`, `/event_auth`, `/get_missing_events` and
/// `/backfill`.
public enum FederationRoomReadRoutes {
    static let atEvent = RequestShape(query: [QueryField("event_id", .string, required: true, example: "$nothing:axon.test")])

    public static func routes(_ reads: FederationRoomReads) -> [Route] {
        [
            .federation(.get, "/_matrix/federation/v1/event/{eventId}") { request in
                .json(try await reads.event(try request.request.identifier("eventId"), origin: request.origin))
            },
            .federation(.get, "/_matrix/federation/v1/state_ids/{roomId}", shape: atEvent) { request in
                .json(try await reads.stateIDs(in: try request.request.identifier("roomId"), at: try eventID(request), origin: request.origin))
            },
            .federation(.get, "/_matrix/federation/v1/state/{roomId}", shape: atEvent) { request in
                .json(try await reads.state(in: try request.request.identifier("roomId"), at: try eventID(request), origin: request.origin))
            },
            .federation(.get, "/_matrix/federation/v1/event_auth/{roomId}/{eventId}") { request in
                .json(
                    try await reads.authChain(
                        in: try request.request.identifier("roomId"), of: try request.request.identifier("eventId"), origin: request.origin
                    )
                )
            },
            .federation(
                .post, "/_matrix/federation/v1/get_missing_events/{roomId}",
                shape: RequestShape(body: .jsonObject([
                    BodyField("earliest_events", .array, required: true, example: []),
                    BodyField("latest_events", .array, required: true, example: []),
                    BodyField("limit", .integer, required: false, example: 10),
                    BodyField("min_depth", .integer, required: false, example: 0),
                ]))
            ) { request in
                let body = request.request.body
                return .json(
                    try await reads.missingEvents(
                        in: try request.request.identifier("roomId"), earliest: eventIDs(body["earliest_events"]), latest: eventIDs(body["latest_events"]),
                        limit: Int(body["limit"]?.integerValue ?? 10), minDepth: body["min_depth"]?.integerValue ?? 0, origin: request.origin
                    )
                )
            },
            .federation(
                .get, "/_matrix/federation/v1/backfill/{roomId}",
                shape: RequestShape(query: [
                    QueryField("v", .string, required: true, example: "$nothing:axon.test"), QueryField("limit", .integer(0...1_000), required: true, example: "10"),
                ])
            ) { request in
                let query = request.request.query
                return .json(
                    try await reads.backfill(
                        in: try request.request.identifier("roomId"), from: query.all("v").compactMap { try? EventID($0) },
                        limit: query["limit"].flatMap { Int($0) } ?? 10, origin: request.origin
                    )
                )
            },
        ]
    }

    private static func eventID(_ request: FederatedRequest) throws(MatrixError) -> EventID {
        let text = request.request.query["event_id"] ?? ""
        guard let id = try? EventID(text) else { throw .invalidParameter("'\(text)' is not a valid event_id") }
        return id
    }

    private static func eventIDs(_ list: JSONValue?) -> [EventID] {
        (list?.arrayValue ?? []).prefix(100).compactMap { $0.stringValue.flatMap { try? EventID($0) } }
    }
}
