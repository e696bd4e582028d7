/// Where the Redis server is and how to log in (the `redis` section of `homeserver.yaml`).
public struct RedisEndpoint: Sendable, Hashable {
    public enum Address: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var address: Address
    public var databaseID: Int?
    public var username: String?
    public var password: String?

    public init(address: Address, databaseID: Int? = nil, username: String? = nil, password: String? = nil) {
        self.address = address
        self.databaseID = databaseID
        self.username = username
        self.password = password
    }
}

extension RedisEndpoint: CustomStringConvertible {
    /// Names the server without the password.
    public var description: String {
        switch address {
        case .tcp(let host, let port): "redis://\(host):\(port)"
        case .unix(let path): "redis+unix://\(path)"
        }
    }
}
