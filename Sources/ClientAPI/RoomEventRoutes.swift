public import MatrixHTTP
public import Rooms
import Accounts
import HTTPTypes
import MatrixTypes
import RoomStore

/// Sending messages, setting state and redacting: writes through the room writer on the main process.
public enum RoomEventRoutes {
    static let contentShape = RequestShape(body: .jsonObject([]))
    static let redactShape = RequestShape(body: .jsonObjectOrEmpty([BodyField("reason", .string, required: false, example: "spam")]))

    /// `messageLimiter` is `rc_message`, counted per sender on every event a client sends, as Synapse does.
    public static func routes(_ rooms: RoomService, messageLimiter: RateLimiter) -> [Route] {
        ClientPath.expand("/rooms/{roomId}/send/{eventType}/{txnId}").map { send($0, rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/send/{eventType}").map { sendWithoutTransaction($0, rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/state/{eventType}").map { setState($0, hasKey: false, rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/state/{eventType}/{stateKey}").map { setState($0, hasKey: true, rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/redact/{eventId}/{txnId}").map { redact($0, rooms, messageLimiter) }
    }

    static func send(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .userOrGuest, shape: contentShape, rateLimiter: limiter) { request in
            let transaction = ClientTransaction(
                userID: request.requester.userID, deviceID: request.requester.deviceID,
                scope: "send \(request.pathParameter("roomId")) \(request.pathParameter("eventType"))", txnID: request.pathParameter("txnId")
            )
            let eventID = try await rooms.send(
                request.body, type: request.pathParameter("eventType"), to: try request.identifier("roomId"),
                sender: request.requester.userID, transaction: transaction
            )
            return .json(["event_id": .string(eventID.rawValue)])
        }
    }

    /// The form older clients and bots still use, which Synapse serves: no transaction ID, so every call is a
    /// new event and a retried request is sent twice.
    static func sendWithoutTransaction(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .userOrGuest, shape: contentShape, rateLimiter: limiter) { request in
            let eventID = try await rooms.send(
                request.body, type: request.pathParameter("eventType"), to: try request.identifier("roomId"),
                sender: request.requester.userID, transaction: nil
            )
            return .json(["event_id": .string(eventID.rawValue)])
        }
    }

    static func setState(_ path: String, hasKey: Bool, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .userOrGuest, shape: contentShape, rateLimiter: limiter) { request in
            let eventID = try await rooms.setState(
                request.body, type: request.pathParameter("eventType"), stateKey: hasKey ? request.pathParameter("stateKey") : "",
                in: try request.identifier("roomId"), sender: request.requester.userID, guest: request.requester.isGuest
            )
            return .json(["event_id": .string(eventID.rawValue)])
        }
    }

    static func redact(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: redactShape, rateLimiter: limiter) { request in
            let transaction = ClientTransaction(
                userID: request.requester.userID, deviceID: request.requester.deviceID,
                scope: "redact \(request.pathParameter("roomId")) \(request.pathParameter("eventId"))", txnID: request.pathParameter("txnId")
            )
            let eventID = try await rooms.redact(
                try request.identifier("eventId"), in: try request.identifier("roomId"), reason: request.body["reason"]?.stringValue,
                transaction: transaction
            )
            return .json(["event_id": .string(eventID.rawValue)])
        }
    }
}
