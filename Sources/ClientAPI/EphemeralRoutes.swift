public import MatrixHTTP
public import Rooms
import Accounts
import HTTPTypes
import MatrixTypes

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

    public static func routes(
        typing: TypingService, receipts: ReceiptService, reader: RoomReader, accountData: AccountDataService, limiters: Limiters
    ) -> [Route] {
        ClientPath.expand("/rooms/{roomId}/typing/{userId}").map { typingRoute($0, typing, reader, limiters.typing) }
            + ClientPath.expand("/rooms/{roomId}/receipt/{receiptType}/{eventId}").map {
                receipt($0, receipts, reader, accountData, limiters.receipts)
            }
            + ClientPath.expand("/rooms/{roomId}/read_markers").map { markers($0, receipts, reader, accountData, limiters.receipts) }
    }

    static func typingRoute(_ path: String, _ typing: TypingService, _ reader: RoomReader, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: typingShape, rateLimiter: limiter) { request in
            let roomID: RoomID = try request.identifier("roomId")
            let user: UserID = try request.identifier("userId")
            guard user == request.requester.userID else { throw MatrixError.forbidden("Cannot set another user's typing state") }
            guard try await reader.isJoined(roomID, user: user) else {
                throw MatrixError.forbidden("You are not in this room")
            }
            typing.setTyping(
                request.body["typing"] == .bool(true), user: user, roomID: roomID, timeout: request.body["timeout"]?.integerValue ?? 30_000
            )
            return .json([:])
        }
    }

    static func receipt(
        _ path: String, _ receipts: ReceiptService, _ reader: RoomReader, _ accountData: AccountDataService, _ limiter: RateLimiter
    ) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: receiptShape, rateLimiter: limiter) { request in
            let type = request.pathParameter("receiptType")
            let marker = MarkerUpdate(
                roomID: try request.identifier("roomId"), user: request.requester.userID,
                threadID: request.body["thread_id"]?.stringValue
            )
            let eventID: EventID = try request.identifier("eventId")
            switch type {
            case "m.fully_read": try await marker.setFullyRead(eventID, reader: reader, accountData: accountData)
            case _ where ReceiptService.types.contains(type): try await marker.post(type, eventID, reader: reader, receipts: receipts)
            default: throw MatrixError.invalidParameter("Receipt type must be m.read, m.read.private or m.fully_read")
            }
            return .json([:])
        }
    }

    static func markers(
        _ path: String, _ receipts: ReceiptService, _ reader: RoomReader, _ accountData: AccountDataService, _ limiter: RateLimiter
    ) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: markersShape, rateLimiter: limiter) { request in
            let marker = MarkerUpdate(roomID: try request.identifier("roomId"), user: request.requester.userID, threadID: nil)
            func eventID(_ key: String) throws(MatrixError) -> EventID? {
                guard let text = request.body[key]?.stringValue else { return nil }
                guard let id = try? EventID(text) else { throw .invalidParameter("'\(key)' must be an event ID") }
                return id
            }
            // Every marker is checked before any is written, so a bad one changes nothing.
            let fullyRead = try eventID("m.fully_read")
            let receiptsToPost = try ["m.read", "m.read.private"].compactMap { type in try eventID(type).map { (type, $0) } }
            for id in [fullyRead].compactMap({ $0 }) + receiptsToPost.map(\.1) { try await marker.checkVisible(id, reader: reader) }
            if let fullyRead { try await marker.setFullyRead(fullyRead, reader: reader, accountData: accountData) }
            for (type, id) in receiptsToPost { try await marker.post(type, id, reader: reader, receipts: receipts) }
            return .json([:])
        }
    }
}

/// A read marker or receipt from one user in one room, for an event they can see.
private struct MarkerUpdate {
    let roomID: RoomID
    let user: UserID
    let threadID: String?

    func post(_ type: String, _ eventID: EventID, reader: RoomReader, receipts: ReceiptService) async throws {
        try await checkVisible(eventID, reader: reader)
        try await receipts.post(type: type, eventID: eventID, threadID: threadID, user: user, roomID: roomID)
    }

    func setFullyRead(_ eventID: EventID, reader: RoomReader, accountData: AccountDataService) async throws {
        try await checkVisible(eventID, reader: reader)
        try await accountData.put(["event_id": .string(eventID.rawValue)], type: "m.fully_read", user: user, roomID: roomID)
    }

    func checkVisible(_ eventID: EventID, reader: RoomReader) async throws {
        _ = try await reader.event(eventID, in: roomID, viewer: .init(userID: user, deviceID: nil))
    }
}
