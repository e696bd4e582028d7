import MatrixTypes

/// An absolute `http` or `https` URL split the way Python's `urlsplit` splits it (so `url_preview_url_blacklist`
/// entries see the attributes Synapse's do), with the host, port and request target a connection needs.
struct PreviewURL: Sendable, Hashable, CustomStringConvertible {
    let scheme: String
    /// Everything between `//` and the path: user information, host and port, as written.
    let netloc: String
    let path: String
    let query: String?
    let fragment: String?
    /// The host in lowercase, an IPv6 literal without its brackets.
    let host: String
    let port: Int

    /// Parses `text`, refusing anything but an absolute http(s) URL with a host.
    init?(_ text: String) {
        var rest = Substring(text.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }.trimmingSpacesAndControls())
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let scheme = rest[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        rest = rest[rest.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        rest = rest.dropFirst(2)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        } else {
            fragment = nil
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        } else {
            query = nil
        }
        let netlocEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let netloc = String(rest[..<netlocEnd])
        self.netloc = netloc
        path = String(rest[netlocEnd...])
        self.scheme = scheme
        let hostPort = netloc.lastIndex(of: "@").map { netloc[netloc.index(after: $0)...] } ?? Substring(netloc)
        let defaultPort = scheme == "https" ? 443 : 80
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close].lowercased()
            let after = hostPort[hostPort.index(after: close)...]
            guard let port = Self.port(after, default: defaultPort) else { return nil }
            self.port = port
        } else {
            let colon = hostPort.firstIndex(of: ":")
            host = hostPort[..<(colon ?? hostPort.endIndex)].lowercased()
            guard let port = Self.port(colon.map { hostPort[$0...] } ?? "", default: defaultPort) else { return nil }
            self.port = port
        }
        guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0.properties.numericType != nil || ".-_:".unicodeScalars.contains($0) })
        else { return nil }
    }

    /// `:port` after the host, or nothing for the scheme's default.
    private static func port(_ text: Substring, default defaultPort: Int) -> Int? {
        guard !text.isEmpty else { return defaultPort }
        guard text.first == ":" else { return nil }
        let digits = text.dropFirst()
        if digits.isEmpty { return defaultPort }
        guard digits.utf8.count <= 5, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let port = Int(digits), port <= 65535 else { return nil }
        return port
    }

    var description: String {
        "\(scheme)://\(netloc)\(path)\(query.map { "?\($0)" } ?? "")\(fragment.map { "#\($0)" } ?? "")"
    }

    var isTLS: Bool { scheme == "https" }

    /// Path and query as an HTTP request target: bytes a request line cannot carry are percent-encoded.
    var target: String {
        let raw = (path.isEmpty ? "/" : path) + (query.map { "?\($0)" } ?? "")
        var encoded = ""
        for byte in raw.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "\"") {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    /// The `Host` header: the host (an IPv6 literal in brackets) with the port when it is not the scheme's default.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Whether the host is an IP address written as one, not a name to look up.
    var hostIsLiteral: Bool { IPAddress.parse(host) != nil }

    /// A URL attribute as `urlsplit` names it; `nil` where Python has `None`.
    func attribute(_ name: String) -> String? {
        let userInfo = netloc.lastIndex(of: "@").map { netloc[..<$0] }
        switch name {
        case "scheme": return scheme
        case "netloc": return netloc
        case "path": return path
        case "query": return query ?? ""
        case "fragment": return fragment ?? ""
        case "params": return path.split(separator: "/", omittingEmptySubsequences: false).last?.split(separator: ";", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        case "username": return userInfo.map { String($0.prefix { $0 != ":" }) }
        case "password": return userInfo.flatMap { info in info.firstIndex(of: ":").map { String(info[info.index(after: $0)...]) } }
        case "hostname": return host
        case "port":
            let written = netloc.lastIndex(of: ":").map { netloc[netloc.index(after: $0)...] }
            guard let written, !written.contains("]"), !written.isEmpty else { return nil }
            return String(port)
        default: return nil
        }
    }

    /// `reference` (as found in a page or a `Location` header) resolved against this URL (RFC 3986 section 5.2);
    /// `nil` when the result is not an http(s) URL.
    func resolving(_ reference: String) -> PreviewURL? {
        let reference = reference.trimmingSpacesAndControls()
        if let colon = reference.firstIndex(of: ":"),
            reference[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }), !reference[..<colon].isEmpty
        {
            return PreviewURL(reference)
        }
        if reference.hasPrefix("//") { return PreviewURL("\(scheme):\(reference)") }
        var rest = Substring(reference)
        var newFragment: String?
        if let hash = rest.firstIndex(of: "#") {
            newFragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var newQuery: String?
        if let question = rest.firstIndex(of: "?") {
            newQuery = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        var newPath: String
        if rest.isEmpty {
            newPath = path
            newQuery = newQuery ?? query
        } else if rest.hasPrefix("/") {
            newPath = Self.removingDotSegments(String(rest))
        } else {
            let base = path.isEmpty ? "/" : String(path[...(path.lastIndex(of: "/") ?? path.startIndex)])
            newPath = Self.removingDotSegments((base.hasPrefix("/") ? base : "/") + rest)
        }
        if newPath.isEmpty { newPath = "/" }
        return PreviewURL("\(scheme)://\(netloc)\(newPath)\(newQuery.map { "?\($0)" } ?? "")\(newFragment.map { "#\($0)" } ?? "")")
    }

    private static func removingDotSegments(_ path: String) -> String {
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            switch segment {
            case ".":
                if last { output.append("") }
            case "..":
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/")
    }
}

extension StringProtocol {
    /// Without the leading and trailing spaces and C0 controls that Python's `urlsplit` strips.
    func trimmingSpacesAndControls() -> String {
        let scalars = unicodeScalars
        let isTrimmed: (Unicode.Scalar) -> Bool = { $0.value <= 0x20 }
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }), let last = scalars.lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
