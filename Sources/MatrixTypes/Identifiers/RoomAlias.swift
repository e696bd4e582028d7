/// A room alias, `#localpart:server`; the localpart is any text without `:` or NUL.
public struct RoomAlias: MatrixIdentifier {
    public let rawValue: String
    public let localpart: String
    public let serverName: ServerName

    public init(_ string: String) throws(IdentifierError) {
        let parts = try SigilledIdentifier.split(string, sigil: "#", kind: "Room alias")
        rawValue = string
        localpart = parts.localpart
        serverName = parts.serverName
    }

    public init(localpart: String, serverName: ServerName) throws(IdentifierError) {
        try self.init("#\(localpart):\(serverName.rawValue)")
    }
}
