public import MatrixTypes

/// What `/sync` and the event stream read of receipts (a process without the writer reads the same from the shared
/// database).
public protocol ReceiptReads: Sendable {
    /// The stream position every receipt up to which is readable.
    var position: Int64 { get }
    /// The `m.receipt` event content per room for receipts changed in `(after, upTo]` (all when `after` is `nil`);
    /// private receipts only to their owner.
    func receipts(in rooms: Set<RoomID>, after: Int64?, upTo: Int64, viewer: UserID) async throws(ReceiptError) -> [RoomID: JSONValue]
}
