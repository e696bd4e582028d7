/// `url_preview_url_blacklist` as Synapse applies it: each entry maps URL attributes (`scheme`, `netloc`, `path`,
/// `params`, `query`, `fragment`, `username`, `password`, `hostname`, `port`) to a pattern, a regular expression
/// matched at the value's start when it begins with `^`, else a shell glob matched against the whole value; a URL is
/// blocked when every attribute of some entry matches (an attribute the URL lacks never does). Checked on the URL
/// asked for and on every URL fetched for it.
struct URLBlacklist: Sendable {
    let entries: [[String: String]]

    func blocks(_ url: PreviewURL) -> Bool {
        entries.contains { entry in
            entry.allSatisfy { attribute, pattern in
                guard let value = url.attribute(attribute) else { return false }
                return Self.matches(value, pattern: pattern)
            }
        }
    }

    /// A pattern that does not compile matches, so a mistyped entry blocks rather than letting everything through.
    static func matches(_ value: String, pattern: String) -> Bool {
        if pattern.hasPrefix("^") {
            guard let regex = try? Regex(pattern) else { return true }
            return (try? regex.prefixMatch(in: value)) != nil
        }
        guard let regex = try? Regex(globExpression(pattern)).dotMatchesNewlines() else { return true }
        return (try? regex.wholeMatch(in: value)) != nil
    }

    /// Python's `fnmatch` syntax as a regular expression: `*`, `?`, `[set]` and `[!set]`; all else literal.
    static func globExpression(_ glob: String) -> String {
        var expression = ""
        var characters = glob[...]
        while let character = characters.popFirst() {
            switch character {
            case "*": expression += ".*"
            case "?": expression += "."
            case "[":
                guard let close = characters.dropFirst(characters.first == "!" ? 2 : 1).firstIndex(of: "]") else {
                    expression += "\\["
                    continue
                }
                var set = characters[..<close]
                characters = characters[characters.index(after: close)...]
                let negated = set.first == "!"
                if negated { set = set.dropFirst() }
                let body = set.map { $0 == "\\" || $0 == "[" || $0 == "]" || $0 == "^" ? "\\\($0)" : String($0) }.joined()
                expression += "[\(negated ? "^" : "")\(body)]"
            default:
                expression += escaped(character)
            }
        }
        return expression
    }

    /// `character` as a literal in a regular expression.
    static func escaped(_ character: Character) -> String {
        "\\^$.|?*+()[]{}/-#&~ ".contains(character) ? "\\\(character)" : String(character)
    }
}
