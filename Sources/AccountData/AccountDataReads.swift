public import MatrixTypes

/// One changed blob; `roomID` is `nil` for global data.
public struct AccountDataEntry: Sendable {
    public var roomID: RoomID?
    public var type: String
    public var content: JSONValue
}

/// What `/sync` and readers of ignored users read of account data (a process without the writer reads the same from
/// the shared database).
public protocol AccountDataReads: Sendable {
    /// The stream position every change up to which is readable.
    var position: Int64 { get }
    /// `notFound` when nothing (or an empty object) is stored.
    func get(type: String, user: UserID, roomID: RoomID?) async throws(AccountDataError) -> JSONValue
    /// The user's blobs changed after stream position `after` (all of them when `nil`) up to `upTo`.
    func changes(of user: UserID, after: Int64?, upTo: Int64) async throws(AccountDataError) -> [AccountDataEntry]
}
