public import E2EE
public import Logging
public import MatrixTypes
public import Presence
public import Receipts
public import RoomStore
public import Typing

/// Where the EDUs of an inbound transaction go: taken in this process (`EDUIntake`, where typing and receipts are
/// written), or handed to the process that writes them.
public protocol EDUReceiving: Sendable {
    func take(_ edus: [JSONValue], from origin: ServerName) async
}

/// The EDUs of an inbound transaction that this version takes: typing notifications and public read receipts of the
/// origin's users in rooms they are joined to here (a receipt only for an event of that room, at most 100 receipts
/// per transaction), their presence (at most 100 users per transaction), and the end-to-end encryption EDUs
/// (to-device messages, device-list and signing-key updates, through `EncryptionEDUs`). Any EDU about a user of
/// another server than the origin, or about a room whose server ACL denies the origin, is dropped.
public struct EDUIntake: EDUReceiving {
    let typing: TypingService
    let receipts: ReceiptService
    let presence: PresenceService
    let encryption: EncryptionEDUs
    let store: RoomStore
    let acls: ServerACLCheck
    let logger: Logger

    /// How long a remote user shows as typing without a refresh, as Synapse holds federated typing.
    static let typingTimeout: Int64 = 30_000
    /// Receipts, and users' presence, taken from one transaction at most.
    static let receiptLimit = 100
    static let presenceLimit = 100

    public init(
        typing: TypingService, receipts: ReceiptService, presence: PresenceService, encryption: EncryptionEDUs, store: RoomStore, logger: Logger
    ) {
        self.typing = typing
        self.receipts = receipts
        self.presence = presence
        self.encryption = encryption
        self.store = store
        self.acls = ServerACLCheck(store: store)
        self.logger = logger
    }

    /// Takes a transaction's EDUs (at most `TransactionIntake.eduLimit`), leaving out those about rooms whose ACL
    /// denies the origin.
    public func take(_ edus: [JSONValue], from origin: ServerName) async {
        var receiptsLeft = Self.receiptLimit
        var presenceLeft = Self.presenceLimit
        let acls = acls
        for edu in edus.prefix(TransactionIntake.eduLimit) {
            if edu["edu_type"]?.stringValue == "m.presence" {
                await takePresence(edu["content"]?["push"]?.arrayValue ?? [], from: origin, left: &presenceLeft)
                continue
            }
            if let type = edu["edu_type"]?.stringValue, EncryptionEDUs.types.contains(type) {
                do {
                    try await encryption.take(type: type, content: edu["content"] ?? [:], from: origin)
                } catch {
                    logger.debug("dropped an EDU", metadata: ["type": "\(type)", "origin": "\(origin)", "reason": "\(error)"])
                }
                continue
            }
            await take(edu, from: origin, deniedIn: { room in (try? await acls.denies(origin, in: room)) ?? true }, receiptsLeft: &receiptsLeft)
        }
    }

    private func take(_ edu: JSONValue, from origin: ServerName, deniedIn denied: (RoomID) async -> Bool, receiptsLeft: inout Int) async {
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
            for (roomText, byType) in content.objectValue ?? [:] {
                guard let room = try? RoomID(roomText), let readers = byType["m.read"]?.objectValue, await !denied(room) else { continue }
                for (userText, receipt) in readers {
                    guard receiptsLeft > 0, let user = try? UserID(userText), user.serverName == origin,
                        let eventID = receipt["event_ids"]?.arrayValue?.last?.stringValue.flatMap({ try? EventID($0) })
                    else { continue }
                    receiptsLeft -= 1
                    guard (try? await store.membership(of: user, in: room))??.hasSameBytes(as: Membership.join) == true,
                        (try? await store.event(eventID))??.roomID == room
                    else { continue }
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

    /// The origin's users' presence, each as they are now.
    private func takePresence(_ updates: [JSONValue], from origin: ServerName, left: inout Int) async {
        for update in updates {
            guard left > 0 else { return }
            guard let user = update["user_id"]?.stringValue.flatMap({ try? UserID($0) }), user.serverName == origin,
                let state = update["presence"]?.stringValue
            else { continue }
            left -= 1
            do {
                try await presence.remote(
                    state, statusMessage: update["status_msg"]?.stringValue, lastActiveAgo: update["last_active_ago"]?.integerValue, user: user
                )
            } catch {
                logger.debug("dropped a presence EDU", metadata: ["user": "\(user)", "reason": "\(error)"])
            }
        }
    }
}
