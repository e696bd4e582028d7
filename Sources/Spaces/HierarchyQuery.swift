/// A `/hierarchy` request's parameters.
public struct HierarchyQuery: Sendable {
    public var suggestedOnly: Bool
    /// `max_depth` (0 is the root alone); `nil` for the default.
    public var maxDepth: Int?
    /// Rooms per page; `nil` for the default.
    public var limit: Int?
    /// A previous page's `next_batch`.
    public var from: String?

    public init(suggestedOnly: Bool = false, maxDepth: Int? = nil, limit: Int? = nil, from: String? = nil) {
        self.suggestedOnly = suggestedOnly
        self.maxDepth = maxDepth
        self.limit = limit
        self.from = from
    }
}
