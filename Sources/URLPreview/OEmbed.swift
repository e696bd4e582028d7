import MatrixTypes

/// An oEmbed API endpoint and the URL globs it answers for, from oembed.com's `providers.json` format.
public struct OEmbedEndpoint: Sendable, Hashable {
    /// The API's URL; `{format}` in it stands for `json`.
    public var url: String
    /// Globs of the pages it answers for: `*` in the host stands for one label's characters, elsewhere for any.
    public var schemes: [String]
    /// The formats it offers, when its entry says; one without JSON is not used.
    public var formats: [String]?

    public init(url: String, schemes: [String], formats: [String]? = nil) {
        self.url = url
        self.schemes = schemes
        self.formats = formats
    }
}

/// Which pages are previewed through a provider's oEmbed API instead of their HTML, and how an oEmbed answer
/// becomes Open Graph tags (Synapse's `oembed.py`).
struct OEmbedProviders: Sendable {
    private let patterns: [(expression: String, endpoint: String)]

    init(_ endpoints: [OEmbedEndpoint]) {
        patterns = endpoints.filter { endpoint in
            (endpoint.formats?.contains("json") ?? true) && !endpoint.url.hasSuffix(".xml")
        }.flatMap { endpoint in
            endpoint.schemes.compactMap { glob in Self.expression(glob).map { ($0, endpoint.url.replacing("{format}", with: "json")) } }
        }
    }

    /// The API URL answering for `url`, if a provider's scheme matches it whole.
    func apiURL(for url: String) -> String? {
        for (expression, endpoint) in patterns {
            guard let regex = try? Regex(expression), (try? regex.wholeMatch(in: url)) != nil else { continue }
            let query = "url=\(Self.formEncoded(url))&format=json"
            return endpoint + (endpoint.contains("?") ? "&" : "?") + query
        }
        return nil
    }

    /// A scheme glob as a regular expression, as Synapse builds it; `nil` for one that is not http(s).
    static func expression(_ glob: String) -> String? {
        guard let separator = glob.firstRange(of: "://") else { return nil }
        let scheme = glob[..<separator.lowerBound]
        guard scheme == "http" || scheme == "https" else { return nil }
        let rest = glob[separator.upperBound...]
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let literal = { (text: Substring, wildcard: String) in text.map { $0 == "*" ? wildcard : URLBlacklist.escaped($0) }.joined() }
        return scheme + "://" + literal(rest[..<hostEnd], "[a-zA-Z0-9_-]+") + literal(rest[hostEnd...], ".+")
    }

    /// `application/x-www-form-urlencoded`, as Python's `urlencode` writes a value.
    static func formEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                encoded += "+"
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

/// What an oEmbed answer says, as Open Graph tags.
struct OEmbedAnswer: Sendable {
    var og: JSONObject
    var authorName: String?
    /// `cache_age` in milliseconds, when given.
    var cacheAge: Int64?

    /// Reads an oEmbed JSON answer for the page `url`; an empty answer when it is not version 1.0 JSON.
    /// `describe` reads the HTML of a `rich` or `video` answer.
    init(json body: [UInt8], for url: String, describe: (String) async -> HTMLPage?) async {
        og = JSONObject()
        guard let answer = try? JSONValue.parse(body), answer.objectValue != nil else { return }
        switch answer["version"] {
        case nil, .string("1.0"), .integer(1): break
        default: return
        }
        switch answer["cache_age"] {
        case .integer(let seconds): cacheAge = seconds.multipliedReportingOverflow(by: 1000).overflow ? nil : seconds * 1000
        case .double(let seconds) where seconds.isFinite && abs(seconds) < 1e12: cacheAge = Int64(seconds) * 1000
        case .string(let text): cacheAge = Int64(text.stripped()).flatMap { $0.multipliedReportingOverflow(by: 1000).overflow ? nil : $0 * 1000 }
        default: break
        }
        og["og:url"] = .string(url)
        if let title = answer["title"]?.stringValue, !title.isEmpty { og["og:title"] = .string(HTMLEntities.unescape(title)) }
        authorName = answer["author_name"]?.stringValue
        if let provider = answer["provider_name"]?.stringValue, !provider.isEmpty { og["og:site_name"] = .string(provider) }
        if let thumbnail = answer["thumbnail_url"]?.stringValue, !thumbnail.isEmpty { og["og:image"] = .string(thumbnail) }
        switch answer["type"]?.stringValue {
        case "rich":
            if let html = answer["html"]?.stringValue { await describeEmbed(html, describe: describe) }
        case "photo":
            if let photo = answer["url"]?.stringValue, !photo.isEmpty { og["og:image"] = .string(photo) }
        case "video":
            og["og:type"] = "video.other"
            if let html = answer["html"]?.stringValue, !html.isEmpty { await describeEmbed(html, describe: describe) }
            for size in ["width", "height"] {
                if case .integer(let value) = answer[size] { og["og:video:\(size)"] = .integer(value) }
            }
        case "link":
            og["og:type"] = "website"
        default:
            break
        }
    }

    /// The image, video and description of an embed's HTML.
    private mutating func describeEmbed(_ html: String, describe: (String) async -> HTMLPage?) async {
        guard !html.isEmpty, let page = await describe(html) else { return }
        if og["og:image"] == nil, let image = page.images.first?["src"] { og["og:image"] = .string(image) }
        if let video = page.embeds.first { og["og:video"] = .string(video) }
        if let description = OpenGraph.summary(of: page.texts) { og["og:description"] = .string(description) }
    }
}
