public import Logging
public import MatrixTypes
public import Receipts
public import Typing

/// The EDUs of an inbound transaction that this version takes: typing notifications and public read receipts of the
/// origin's users in rooms they are joined to here. Others (presence, device lists, to-device) are dropped; so is any
/// EDU about a user of another server than the origin, or about a room whose server ACL denies the origin.
public struct EDUIntake: Sendable {
    let typing: TypingService
    let receipts: ReceiptService
    let logger: Logger

    /// How long a remote user shows as typing without a refresh, as Synapse holds federated typing.
    static let typingTimeout: Int64 = 30_000
    /// Receipts taken from one EDU at most.
    static let receiptLimit = 100

    public init(typing: TypingService, receipts: ReceiptService, logger: Logger) {
        self.typing = typing
        self.receipts = receipts
        self.logger = logger
    }

    func take(_ edu: JSONValue, from origin: ServerName, deniedIn denied: (RoomID) async -> Bool) async {
        let content = edu["content"] ?? [:]
        switch edu["edu_type"]?.stringValue {
        case "m.typing":
            guard let room = content["room_id"]?.stringValue.flatMap({ try? RoomID($0) }),
                let user = content["user_id"]?.stringValue.flatMap({ try? UserID($0) }), user.serverName == origin,
                let isTyping = content["typing"]?.boolValue, await !denied(room)
            else { return }
            do {
                try await typing.set(isTyping, user: user, requester: user, roomID: room, timeout: Self.typingTimeout)
            } catch {
                logger.debug("dropped a typing EDU", metadata: ["user": "\(user)", "reason": "\(error)"])
            }
        case "m.receipt":
            var taken = 0
            for (roomText, byType) in content.objectValue ?? [:] {
                guard let room = try? RoomID(roomText), let readers = byType["m.read"]?.objectValue, await !denied(room) else { continue }
                for (userText, receipt) in readers {
                    guard taken < Self.receiptLimit, let user = try? UserID(userText), user.serverName == origin,
                        let eventID = receipt["event_ids"]?.arrayValue?.last?.stringValue.flatMap({ try? EventID($0) })
                    else { continue }
                    taken += 1
                    do {
                        try await receipts.post(
                            type: "m.read", eventID: eventID, threadID: receipt["data"]?["thread_id"]?.stringValue, user: user, roomID: room
                        )
                    } catch {
                        logger.debug("dropped a receipt EDU", metadata: ["user": "\(user)", "reason": "\(error)"])
                    }
                }
            }
        default:
            return
        }
    }
}
