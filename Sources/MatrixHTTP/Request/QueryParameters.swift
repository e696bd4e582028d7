public import MatrixTypes

/// Decoded query string. Keys may repeat (`?server_name=a&server_name=b`), so values are kept in order.
///
/// `decodeComponent` is the only query decoder: authentication reads `access_token` through it and the request
/// log decides what to redact with it, so a name spelled with escapes (`access_%74oken`) is seen the same way by both.
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)]

    public init(rawQuery: Substring?) throws(MatrixError) {
        pairs = []
        guard let rawQuery, !rawQuery.isEmpty else { return }
        for item in URLComponentBytes.split(rawQuery, at: UInt8(ascii: "&")) where !item.isEmpty {
            let (rawName, rawValue) = Self.split(item)
            guard let name = Self.decodeComponent(rawName), let value = Self.decodeComponent(rawValue) else {
                throw .invalidParameter("The query string is not valid percent-encoded UTF-8.")
            }
            // No parameter (identifier, token, filter) may hold a NUL, and PostgreSQL text cannot store one.
            guard !name.utf8.contains(0), !value.utf8.contains(0) else {
                throw .invalidParameter("Query parameters may not contain NUL characters.")
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

    /// The raw name and value of one `name=value` item; a bare `name` has an empty value.
    static func split(_ item: Substring) -> (name: Substring, value: Substring) {
        let (name, value) = URLComponentBytes.cut(item, at: UInt8(ascii: "="))
        return (name, value ?? "")
    }

    /// Percent-decodes one name or value; `+` means space in query strings, unlike in paths. `nil` when an
    /// escape is malformed or the bytes are not UTF-8.
    static func decodeComponent(_ raw: Substring) -> String? {
        URLComponentBytes.percentDecode(raw, plusIsSpace: true)
    }
}
