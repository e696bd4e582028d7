/// The answer of `/voip/turnServer` when TURN is configured.
public struct TURNCredentials: Sendable, Equatable {
    public var username: String
    public var password: String
    public var uris: [String]
    /// Seconds the credentials stay valid (`turn_user_lifetime`, rounded down).
    public var ttl: Int64

    public init(username: String, password: String, uris: [String], ttl: Int64) {
        self.username = username
        self.password = password
        self.uris = uris
        self.ttl = ttl
    }
}
