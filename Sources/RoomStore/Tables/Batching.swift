/// Runs `body` on consecutive slices of `items` of at most `size` elements, so multi-row statements stay under the
/// engines' limits on parameters and expression depth.
func forEachChunk<Items: Collection, Failure: Error>(
    of items: Items, size: Int, _ body: (Items.SubSequence) throws(Failure) -> Void
) throws(Failure) {
    var start = items.startIndex
    while start < items.endIndex {
        let end = items.index(start, offsetBy: size, limitedBy: items.endIndex) ?? items.endIndex
        try body(items[start..<end])
        start = end
    }
}

/// `(?, ?), (?, ?), …`: `rows` rows of `columns` placeholders, for a multi-row `VALUES`.
func valueRows(_ rows: Int, columns: Int) -> String {
    let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
    return Array(repeating: row, count: rows).joined(separator: ", ")
}
