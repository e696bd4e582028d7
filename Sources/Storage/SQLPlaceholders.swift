/// `?, ?, …` for an `IN` list or a row of `count` values, the one spelling every table's SQL uses.
public func placeholders(_ count: Int) -> String {
    Array(repeating: "?", count: count).joined(separator: ", ")
}
