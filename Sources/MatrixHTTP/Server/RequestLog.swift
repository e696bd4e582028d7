/// Produces the path-and-query text for request logs with credentials removed: access tokens, login
/// tokens, passwords and secrets can all arrive as query parameters.
enum RequestLog {
    static func redactedTarget(path: Substring, query: Substring?) -> String {
        guard let query, !query.isEmpty else { return String(path) }
        let items = query.split(separator: "&", omittingEmptySubsequences: false).map { item -> String in
            let rawName = QueryParameters.split(item).name
            // Judged by the name the handlers will read, decoded as `QueryParameters` decodes it; a name that
            // does not decode is redacted too, since nothing about it can be vouched for.
            guard let name = QueryParameters.decodeComponent(rawName), !isSensitive(name.lowercased()) else {
                return "\(rawName)=<redacted>"
            }
            return String(item)
        }
        return "\(path)?\(items.joined(separator: "&"))"
    }

    private static func isSensitive(_ name: String) -> Bool {
        ["token", "password", "secret", "mac", "nonce", "sig"].contains { name.contains($0) }
    }
}
