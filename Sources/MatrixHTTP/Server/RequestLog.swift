/// Produces the path-and-query text for request logs with credentials removed: access tokens, login
/// tokens, passwords and secrets can all arrive as query parameters.
enum RequestLog {
    static func redactedTarget(path: Substring, query: Substring?) -> String {
        guard let query, !query.isEmpty else { return String(path) }
        let items = URLComponentBytes.split(query, at: UInt8(ascii: "&"))
        // Most requests carry nothing to redact; they are logged as they came.
        guard items.contains(where: isRedacted) else { return "\(path)?\(query)" }
        let redacted = items.map { item in isRedacted(item) ? "\(QueryParameters.split(item).name)=<redacted>" : String(item) }
        return "\(path)?\(redacted.joined(separator: "&"))"
    }

    /// Judged by the name the handlers will read, decoded as `QueryParameters` decodes it; a name that does not
    /// decode is redacted too, since nothing about it can be vouched for.
    private static func isRedacted(_ item: Substring) -> Bool {
        guard let name = QueryParameters.decodeComponent(QueryParameters.split(item).name) else { return true }
        let lowered = Array(name.lowercased().utf8)
        return sensitiveParts.contains { part in contains(lowered, part) }
    }

    private static let sensitiveParts = ["token", "password", "secret", "mac", "nonce", "sig"].map { Array($0.utf8) }

    private static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard bytes.count >= part.count else { return false }
        return (0...(bytes.count - part.count)).contains { start in bytes[start..<start + part.count].elementsEqual(part) }
    }
}
