public import MatrixTypes

/// Decoded query string. Keys may repeat (`?server_name=a&server_name=b`), so values are kept in order.
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(rawQuery: Substring?) throws(MatrixError) {
        pairs = []
        guard let rawQuery, !rawQuery.isEmpty else { return }
        for item in rawQuery.split(separator: "&") where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = Self.decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidParameter("The query string is not valid percent-encoded UTF-8.")
            }
            pairs.append((name, value))
        }
    }

    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    public func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `+` means space in query strings, unlike in paths.
    private static func decode(_ raw: Substring) -> String? {
        PathTemplate.percentDecode(Substring(raw.replacing("+", with: " ")))
    }
}
