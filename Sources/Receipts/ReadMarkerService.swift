public import AccountData
public import MatrixTypes
public import Rooms
import Storage

/// Receipts and the fully-read marker as clients post them: each names an event the user must be able to see,
/// checked before anything is stored.
public final class ReadMarkerService: Sendable {
    private let receipts: ReceiptService
    private let accountData: AccountDataService
    private let reader: RoomReader

    public init(receipts: ReceiptService, accountData: AccountDataService, reader: RoomReader) {
        self.receipts = receipts
        self.accountData = accountData
        self.reader = reader
    }

    /// `POST /rooms/{roomId}/receipt/{receiptType}/{eventId}`: a receipt, or `m.fully_read`.
    public func post(_ type: String, eventID: EventID, threadID: String?, user: UserID, roomID: RoomID) async throws(ReceiptError) {
        let isFullyRead = type.hasSameBytes(as: "m.fully_read")
        guard isFullyRead || ReceiptService.types.contains(where: { $0.hasSameBytes(as: type) }) else { throw .unknownReceiptType }
        try await checkVisible(eventID, user: user, roomID: roomID)
        if isFullyRead {
            try await setFullyRead(eventID, user: user, roomID: roomID)
        } else {
            try await receipts.post(type: type, eventID: eventID, threadID: threadID, user: user, roomID: roomID)
        }
    }

    /// `POST /rooms/{roomId}/read_markers`: every named event is checked before any marker is written, so one the
    /// user cannot see changes nothing.
    public func setMarkers(
        fullyRead: EventID?, read: EventID?, readPrivate: EventID?, user: UserID, roomID: RoomID
    ) async throws(ReceiptError) {
        let receiptsToPost = [("m.read", read), ("m.read.private", readPrivate)].compactMap { type, id in id.map { (type, $0) } }
        for id in [fullyRead].compactMap({ $0 }) + receiptsToPost.map(\.1) {
            try await checkVisible(id, user: user, roomID: roomID)
        }
        if let fullyRead { try await setFullyRead(fullyRead, user: user, roomID: roomID) }
        for (type, id) in receiptsToPost {
            try await receipts.post(type: type, eventID: id, threadID: nil, user: user, roomID: roomID)
        }
    }

    private func setFullyRead(_ eventID: EventID, user: UserID, roomID: RoomID) async throws(ReceiptError) {
        try await ReceiptError.catching {
            try await accountData.put(["event_id": .string(eventID.rawValue)], type: "m.fully_read", user: user, roomID: roomID)
        }
    }

    private func checkVisible(_ eventID: EventID, user: UserID, roomID: RoomID) async throws(ReceiptError) {
        try await ReceiptError.catching { try await reader.checkReadable(eventID, in: roomID, user: user) }
    }
}
