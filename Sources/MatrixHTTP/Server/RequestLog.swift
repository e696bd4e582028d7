/// Produces the path-and-query text for request logs with credentials removed: access tokens, login
/// tokens, passwords and secrets can all arrive as query parameters.
enum RequestLog {
    static func redactedTarget(path: Substring, query: Substring?) -> String {
        guard let query, !query.isEmpty else { return String(path) }
        let items = query.split(separator: "&").map { item -> String in
            let name = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return isSensitive(name.lowercased()) ? "\(name)=<redacted>" : String(item)
        }
        return "\(path)?\(items.joined(separator: "&"))"
    }

    private static func isSensitive(_ name: String) -> Bool {
        ["token", "password", "secret", "mac", "nonce", "sig"].contains { name.contains($0) }
    }
}
