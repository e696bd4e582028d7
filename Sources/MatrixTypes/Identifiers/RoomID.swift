/// A room ID: `!opaque:server` (room versions 1–11) or, from version 12, `!` + the URL-safe base64
/// reference hash of the room's `m.room.create` event, with no server part.
public struct RoomID: MatrixIdentifier {
    public let rawValue: String
    /// The server that created the room; `nil` for hash-derived room IDs.
    public let serverName: ServerName?

    public init(_ string: String) throws(IdentifierError) {
        if SigilledIdentifier.hasColon(string) {
            serverName = try SigilledIdentifier.split(string, sigil: "!", kind: "Room ID").serverName
        } else {
            try SigilledIdentifier.checkSigilAndLength(string, sigil: "!", kind: "Room ID")
            guard ReferenceHashGrammar.isHash(SigilledIdentifier.afterSigil(string), urlSafe: true) else {
                throw IdentifierError("Room ID '\(string)' is neither '!opaque:server' nor a create event hash")
            }
            serverName = nil
        }
        rawValue = string
    }

    /// The room ID of a version 12+ room: its create event's ID with `!` in place of `$`.
    public init(createEventID: EventID) throws(IdentifierError) {
        try self.init("!" + createEventID.opaquePart)
    }

    /// For a hash-derived room ID, the ID of the room's `m.room.create` event.
    public var createEventID: EventID? {
        guard serverName == nil else { return nil }
        return try? EventID("$" + opaquePart)
    }

    /// The part after the `!` sigil.
    public var opaquePart: Substring { SigilledIdentifier.afterSigil(rawValue) }

    /// Whether this ID has the shape `format` prescribes.
    public func isValid(for format: RoomIDFormat) -> Bool {
        switch format {
        case .serverScoped: serverName != nil
        case .createEventHash: serverName == nil
        }
    }
}
