public import MatrixTypes

/// `device_lists` in `/sync` and `/keys/changes`: whose devices the user should query again, and whom the user no
/// longer needs to track.
public struct DeviceListChanges: Sendable, Equatable {
    /// Users whose devices or cross-signing keys changed, or who newly share an encrypted room with the user.
    public var changed: [UserID]
    /// Users who no longer share any encrypted room with the user.
    public var left: [UserID]

    public init(changed: [UserID] = [], left: [UserID] = []) {
        self.changed = changed
        self.left = left
    }

    public var isEmpty: Bool { changed.isEmpty && left.isEmpty }

    public var json: JSONValue {
        ["changed": .array(changed.map { .string($0.rawValue) }), "left": .array(left.map { .string($0.rawValue) })]
    }
}
