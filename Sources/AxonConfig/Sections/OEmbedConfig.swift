import MatrixTypes

/// `oembed`: the oEmbed providers whose API answers for the pages they serve, in the shape of oembed.com's
/// `providers.json`. Synapse's small default list applies unless `disable_default_providers`; the JSON files
/// `additional_providers` names are read when the config loads, so a missing or malformed one is a config error.
public struct OEmbedConfig: Sendable, Hashable {
    /// One API endpoint of a provider and the URL globs (`https://*.example.com/watch/*`) it answers for.
    public struct Endpoint: Sendable, Hashable {
        /// The API's URL; `{format}` in it stands for `json`.
        public var url: String
        public var schemes: [String]
        /// The formats the endpoint offers, when the list says; only JSON ones are used.
        public var formats: [String]?

        public init(url: String, schemes: [String], formats: [String]? = nil) {
            self.url = url
            self.schemes = schemes
            self.formats = formats
        }
    }

    /// Every endpoint, the default providers' first.
    public var endpoints: [Endpoint]

    public init(endpoints: [Endpoint] = OEmbedConfig.defaultEndpoints) {
        self.endpoints = endpoints
    }

    /// Synapse's packaged `providers.json`: X and YouTube Shorts.
    public static let defaultEndpoints = [
        Endpoint(url: "https://publish.x.com/oembed", schemes: ["https://x.com/*", "https://x.com/*/status/*", "https://*.x.com/*/status/*"]),
        Endpoint(url: "https://www.youtube.com/oembed", schemes: ["https://youtube.com/shorts/*", "https://*.youtube.com/shorts/*"]),
    ]
}

extension OEmbedConfig {
    init(from root: MappingReader, paths: PathResolver) {
        self.init()
        guard let section = root.mapping("oembed") else { return }
        if section.bool("disable_default_providers", default: false) { endpoints = [] }
        for file in section.value("additional_providers")?.list() ?? [] {
            guard let path = file.string().map(paths.absolute) else { continue }
            switch TextFile.read(path) {
            case .success(let text):
                guard let found = Self.endpoints(inProviderList: text) else {
                    file.error("\(path) is not a providers list in oembed.com's format with http(s) URLs and schemes")
                    continue
                }
                endpoints += found
            case .failure(let problem):
                file.error("cannot read \(path): \(problem)")
            }
        }
        section.warnAboutUnknownKeys()
    }

    /// The endpoints of a `providers.json`; `nil` when it is not one or names a scheme other than http(s).
    static func endpoints(inProviderList text: String) -> [Endpoint]? {
        guard let providers = (try? JSONValue.parse(text))?.arrayValue else { return nil }
        var found: [Endpoint] = []
        for provider in providers {
            guard provider["provider_name"]?.stringValue != nil, provider["provider_url"]?.stringValue != nil,
                let listed = provider["endpoints"]?.arrayValue
            else { return nil }
            for endpoint in listed {
                guard let url = endpoint["url"]?.stringValue, let schemes = endpoint["schemes"]?.arrayValue?.map(\.stringValue),
                    case let globs = schemes.compactMap({ $0 }), globs.count == schemes.count,
                    ([url] + globs).allSatisfy({ $0.hasPrefix("http://") || $0.hasPrefix("https://") })
                else { return nil }
                let formats = endpoint["formats"]?.arrayValue?.compactMap(\.stringValue)
                found.append(Endpoint(url: url, schemes: globs, formats: formats))
            }
        }
        return found
    }
}
