/// Reads a stream's rows after a position page by page, turning each into its notice: how writers' modules answer a
/// follower's catch-up without one large read.
public enum CatchUpPages {
    public static let pageSize = 1_000

    /// Calls `page` with the position after which to read (at most `pageSize` rows in stream order) until a page comes
    /// back short.
    public static func notices<Row, Failure: Error>(
        after: Int64, page: (Int64) async throws(Failure) -> [Row], position: (Row) -> Int64, notice: (Row) -> StreamNotice?
    ) async throws(Failure) -> [StreamNotice] {
        var notices: [StreamNotice] = []
        var from = after
        while true {
            let rows = try await page(from)
            notices += rows.compactMap(notice)
            guard rows.count == pageSize, let last = rows.last else { return notices }
            from = position(last)
        }
    }
}
