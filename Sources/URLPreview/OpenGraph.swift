import MatrixTypes

/// The Open Graph answer for an HTML page, by Synapse's rules: `og:`, `article:` and `profile:` meta properties
/// (more than 50 of one prefix and that prefix is ignored), Twitter card names where Open Graph has no value, then
/// fallbacks: the first heading-like text for `og:title`, a microdata image or the largest `<img>` (else the first,
/// else the icon) for `og:image`, the meta description or the page's own text for `og:description`, which is
/// summarised to 500 characters at most.
enum OpenGraph {
    static let tagLimit = 50
    static let summaryMinimum = 200
    static let summaryMaximum = 500
    /// Synapse drops tags whose name or value is longer than this, so one page cannot bloat every answer.
    static let nameMaximum = 50
    static let valueMaximum = 1000

    static func tags(of page: HTMLPage) -> JSONObject {
        var og = JSONObject()
        for prefix in ["og", "article", "profile"] {
            for (key, value) in metaTags(page, prefix: prefix, attribute: "property") { og[key] = .string(value) }
        }
        for (key, value) in metaTags(page, prefix: "twitter", attribute: "name") where !["twitter:card", "twitter:creator", "twitter:site"].contains(key) {
            let mapped = "og" + key.dropFirst("twitter".count)
            if og[mapped] == nil { og[mapped] = .string(value) }
        }
        if og["og:title"] == nil {
            og["og:title"] = page.heading.map { .string($0.stripped()) } ?? .null
        }
        if og["og:image"] == nil, let image = image(of: page) {
            og["og:image"] = .string(image)
        }
        if let description = og["og:description"]?.stringValue {
            og["og:description"] = summary(of: [description]).map(JSONValue.string) ?? .null
        } else if og["og:description"] == nil {
            let meta = page.metas.first { meta in
                (meta["name"]?.lowercased().contains("description") ?? false) && isNonBlank(meta["content"])
            }
            og["og:description"] = (meta?["content"] ?? summary(of: page.texts)).map(JSONValue.string) ?? .null
        }
        return og
    }

    /// `<meta>` tags whose `attribute` starts with `prefix:` and whose content is not blank; Open Graph names may
    /// also sit in `name`, as many pages put them.
    private static func metaTags(_ page: HTMLPage, prefix: String, attribute: String) -> [(String, String)] {
        var found: [(String, String)] = []
        for meta in page.metas {
            guard let content = meta["content"], isNonBlank(content),
                let key = [meta[attribute], prefix == "og" ? meta["name"] : nil].compactMap({ $0 }).first(where: { $0.hasPrefix(prefix + ":") })
            else { continue }
            guard found.count < tagLimit else { return [] }
            found.append((key, content))
        }
        return found
    }

    private static func image(of page: HTMLPage) -> String? {
        if let meta = page.metas.first(where: { ($0["itemprop"]?.lowercased().contains("image") ?? false) && isNonBlank($0["content"]) }) {
            return meta["content"]
        }
        let usable = page.images.filter { isNonBlank($0["src"]) && !($0["src"] ?? "").lowercased().hasPrefix("data:") }
        let sized = usable.filter { isNonBlank($0["width"]) && isNonBlank($0["height"]) && number($0["width"]) > 10 && number($0["height"]) > 10 }
        if let largest = sized.enumerated().max(by: { lhs, rhs in
            let (left, right) = (area(lhs.element), area(rhs.element))
            return left == right ? lhs.offset > rhs.offset : left < right
        }) {
            return largest.element["src"]
        }
        return usable.first?["src"] ?? page.icon
    }

    private static func area(_ image: [String: String]) -> Double {
        number(image["width"]) * number(image["height"])
    }

    /// A dimension as Python's `float` reads it, 0 when it cannot.
    private static func number(_ text: String?) -> Double {
        text.flatMap { Double($0.stripped()) } ?? 0
    }

    /// Whether a value has a character other than a line break (the `.+` Synapse asks of it).
    static func isNonBlank(_ text: String?) -> Bool {
        text?.unicodeScalars.contains { $0 != "\n" && $0 != "\r" } ?? false
    }

    /// Synapse's `summarize_paragraphs`: whole paragraphs until 200 characters, then cut at a word boundary
    /// before 500 with an ellipsis.
    static func summary(of paragraphs: [String]) -> String? {
        var description = ""
        for paragraph in paragraphs {
            guard description.unicodeScalars.count < summaryMinimum else { break }
            description += paragraph.collapsingRuns(of: " \t\r\n", into: " ") + "\n\n"
        }
        description = description.stripped().collapsingRuns(of: " \t", into: " ")
        description = description.collapsingLineBreaks()
        if description.unicodeScalars.count > summaryMaximum {
            var cut = ""
            for word in description.wordsWithLeadingSpace() {
                if word.unicodeScalars.count + cut.unicodeScalars.count < summaryMaximum {
                    cut += word
                } else {
                    if cut.unicodeScalars.count < summaryMinimum { cut += word }
                    break
                }
            }
            if cut.unicodeScalars.count > summaryMaximum { cut = String(String.UnicodeScalarView(cut.unicodeScalars.prefix(summaryMaximum))) }
            description = cut.stripped() + "…"
        }
        return description.isEmpty ? nil : description
    }

    /// Drops the tags Synapse prunes as overlong.
    static func pruned(_ og: JSONObject) -> JSONObject {
        og.filter { key, value in
            let text: String
            switch value {
            case .string(let string): text = string
            case .null: text = "None"
            default: text = String(decoding: value.encoded(), as: UTF8.self)
            }
            return key.unicodeScalars.count <= nameMaximum && text.unicodeScalars.count <= valueMaximum
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace, as Python's `str.strip`.
    func stripped() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Every run of the characters in `set` replaced by `replacement`.
    func collapsingRuns(of set: String, into replacement: String) -> String {
        var result = String.UnicodeScalarView()
        var inRun = false
        for scalar in unicodeScalars {
            if set.unicodeScalars.contains(scalar) {
                if !inRun { result.append(contentsOf: replacement.unicodeScalars) }
                inRun = true
            } else {
                result.append(scalar)
                inRun = false
            }
        }
        return String(result)
    }

    /// Python's `re.sub(r"[\t \r\n]*[\r\n]+", "\n\n", text)`: blank space ending in line breaks becomes one blank line.
    func collapsingLineBreaks() -> String {
        var result = String.UnicodeScalarView()
        var pending = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if " \t\r\n".unicodeScalars.contains(scalar) {
                pending.append(scalar)
                continue
            }
            flush(&pending, into: &result)
            result.append(scalar)
        }
        flush(&pending, into: &result)
        return String(result)
    }

    private func flush(_ pending: inout String.UnicodeScalarView, into result: inout String.UnicodeScalarView) {
        guard !pending.isEmpty else { return }
        if let lastBreak = pending.lastIndex(where: { $0 == "\r" || $0 == "\n" }) {
            result.append(contentsOf: "\n\n".unicodeScalars)
            result.append(contentsOf: pending[pending.index(after: lastBreak)...])
        } else {
            result.append(contentsOf: pending)
        }
        pending = String.UnicodeScalarView()
    }

    /// The text split before each word, each piece keeping the whitespace that precedes it (`\s*\S+`).
    func wordsWithLeadingSpace() -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        for scalar in unicodeScalars {
            let space = scalar.properties.isWhitespace
            if space, inWord {
                words.append(String(current))
                current = String.UnicodeScalarView()
                inWord = false
            }
            current.append(scalar)
            if !space { inWord = true }
        }
        if inWord { words.append(String(current)) }
        return words
    }
}
