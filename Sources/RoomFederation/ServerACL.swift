public import MatrixTypes
import RoomStore
import Rooms

/// A room's `m.room.server_acl`: which servers may take part, by host name glob (`*`, `?`), the port ignored, IP
/// literals refused unless `allow_ip_literals` (default true). A server denied is refused on every inbound path,
/// as Synapse refuses it.
public struct ServerACL: Sendable {
    let allow: [String]
    let deny: [String]
    let allowsIPLiterals: Bool

    /// The ACL an `m.room.server_acl` event's content describes; entries that are not strings are ignored.
    public init(content: JSONValue) {
        allow = content["allow"]?.arrayValue?.compactMap(\.stringValue) ?? []
        deny = content["deny"]?.arrayValue?.compactMap(\.stringValue) ?? []
        allowsIPLiterals = content["allow_ip_literals"]?.boolValue ?? true
    }

    public func allows(_ server: ServerName) -> Bool {
        let host = Self.host(of: server.rawValue)
        if !allowsIPLiterals, host.hasPrefix("[") || IPAddress.parse(host) != nil { return false }
        if deny.contains(where: { Self.glob($0, matches: host) }) { return false }
        return allow.contains { Self.glob($0, matches: host) }
    }

    /// The server name without its port (an IPv6 literal keeps its brackets).
    static func host(of name: String) -> String {
        if name.hasPrefix("["), let close = name.firstIndex(of: "]") { return String(name[...close]) }
        return name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
    }

    /// `*` any run of characters, `?` one character, everything else itself, compared by code points without case.
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let pattern = Array(pattern.lowercased().unicodeScalars)
        let text = Array(text.lowercased().unicodeScalars)
        var (p, t) = (0, 0)
        var star: (p: Int, t: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = (p, t)
                p += 1
            } else if let last = star {
                p = last.p + 1
                t = last.t + 1
                star = (last.p, last.t + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// Reads a room's current `m.room.server_acl` to refuse a server it denies.
struct ServerACLCheck: Sendable {
    let store: RoomStore

    /// Throws `forbidden` when the room's ACL denies `origin`; a room without one allows every server.
    func check(_ origin: ServerName, in room: RoomID) async throws(FederationRoomError) {
        guard try await !denies(origin, in: room) else { throw .forbidden("Server is banned from room") }
    }

    func denies(_ origin: ServerName, in room: RoomID) async throws(FederationRoomError) -> Bool {
        do {
            guard let state = try await store.state(in: room, atStream: Int64.max), let id = state[StateKey("m.room.server_acl", "")],
                let event = try await store.event(id), let json = try? JSONValue.parse(event.json)
            else { return false }
            return !ServerACL(content: json["content"] ?? [:]).allows(origin)
        } catch {
            throw .room(.storage(error))
        }
    }
}
