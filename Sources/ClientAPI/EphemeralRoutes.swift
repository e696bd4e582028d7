import Accounts
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Receipts
public import Typing

/// Typing notifications, read receipts and read markers.
public enum EphemeralRoutes {
    static let typingShape = RequestShape(
        body: .jsonObject([
            BodyField("typing", .boolean, required: true, example: true),
            BodyField("timeout", .integer, required: false, example: 30000),
        ])
    )
    static let receiptShape = RequestShape(body: .jsonObjectOrEmpty([BodyField("thread_id", .string, required: false, example: "main")]))
    static let markersShape = RequestShape(
        body: .jsonObject([
            BodyField("m.fully_read", .string, required: false, example: "$abc"),
            BodyField("m.read", .string, required: false, example: "$abc"),
            BodyField("m.read.private", .string, required: false, example: "$abc"),
        ])
    )

    /// Per-user buckets Synapse does not have, bounding what one user's typing and receipts cost (see the README).
    public struct Limiters: Sendable {
        public var typing: RateLimiter
        public var receipts: RateLimiter

        public init(typing: RateLimiter, receipts: RateLimiter) {
            self.typing = typing
            self.receipts = receipts
        }
    }

    public static func routes(typing: TypingService, markers: ReadMarkerService, limiters: Limiters) -> [Route] {
        ClientPath.expand("/rooms/{roomId}/typing/{userId}").map { typingRoute($0, typing, limiters.typing) }
            + ClientPath.expand("/rooms/{roomId}/receipt/{receiptType}/{eventId}").map { receipt($0, markers, limiters.receipts) }
            + ClientPath.expand("/rooms/{roomId}/read_markers").map { readMarkers($0, markers, limiters.receipts) }
    }

    static func typingRoute(_ path: String, _ typing: TypingService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: typingShape, rateLimiter: limiter) { request in
            let roomID: RoomID = try request.identifier("roomId")
            try await typing.set(
                request.body["typing"] == .bool(true), user: try request.identifier("userId"), requester: request.requester.userID,
                roomID: roomID, timeout: request.body["timeout"]?.integerValue ?? 30_000
            )
            return .json([:])
        }
    }

    static func receipt(_ path: String, _ markers: ReadMarkerService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: receiptShape, rateLimiter: limiter) { request in
            let roomID: RoomID = try request.identifier("roomId")
            try await markers.post(
                request.pathParameter("receiptType"), eventID: try request.identifier("eventId"),
                threadID: request.body["thread_id"]?.stringValue, user: request.requester.userID, roomID: roomID
            )
            return .json([:])
        }
    }

    static func readMarkers(_ path: String, _ markers: ReadMarkerService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: markersShape, rateLimiter: limiter) { request in
            let roomID: RoomID = try request.identifier("roomId")
            func eventID(_ key: String) throws(MatrixError) -> EventID? {
                guard let text = request.body[key]?.stringValue else { return nil }
                guard let id = try? EventID(text) else { throw .invalidParameter("'\(key)' must be an event ID") }
                return id
            }
            try await markers.setMarkers(
                fullyRead: try eventID("m.fully_read"), read: try eventID("m.read"), readPrivate: try eventID("m.read.private"),
                user: request.requester.userID, roomID: roomID
            )
            return .json([:])
        }
    }
}
