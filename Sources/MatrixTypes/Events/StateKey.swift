/// A key of a room's state map: the `(type, state_key)` pair a state event fills.
///
/// Equality, hashing and ordering use the UTF-8 bytes, so that state keys which differ only in Unicode normalisation
/// stay distinct slots, as they are for every other server.
public struct StateKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let type: String
    public let stateKey: String

    public init(_ type: String, _ stateKey: String) {
        self.type = type
        self.stateKey = stateKey
    }

    public static let create = StateKey(EventType.create, "")
    public static let powerLevels = StateKey(EventType.powerLevels, "")
    public static let joinRules = StateKey(EventType.joinRules, "")

    /// The slot of `user`'s membership event.
    public static func member(_ user: some StringProtocol) -> StateKey {
        StateKey(EventType.member, String(user))
    }

    public static func == (lhs: StateKey, rhs: StateKey) -> Bool {
        lhs.type.hasSameBytes(as: rhs.type) && lhs.stateKey.hasSameBytes(as: rhs.stateKey)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in type.utf8 { hasher.combine(byte) }
        hasher.combine(0xFF as UInt8)  // never a UTF-8 byte, so ("ab", "c") and ("a", "bc") hash apart
        for byte in stateKey.utf8 { hasher.combine(byte) }
    }

    public static func < (lhs: StateKey, rhs: StateKey) -> Bool {
        if !lhs.type.hasSameBytes(as: rhs.type) { return lhs.type.precedesBytewise(rhs.type) }
        return lhs.stateKey.precedesBytewise(rhs.stateKey)
    }

    public var description: String { "(\(type), \(stateKey))" }
}

/// A room state: for each `(type, state_key)`, the ID of the event that fills it.
public typealias StateMap = [StateKey: EventID]
