import CLibXML2

/// What a preview reads of an HTML document, taken out of libxml2's tree in one walk and the tree freed at once.
/// Parsing is recovering and offline (`HTML_PARSE_NONET`), of text already decoded to UTF-8. A blocking call on
/// up to `max_spider_size` bytes: run it on a thread pool, never an event loop.
struct HTMLPage: Sendable, Equatable {
    /// The attributes of every `<meta>`, in document order.
    var metas: [[String: String]] = []
    /// The text of the first `<title>`, `<h1>`, `<h2>` or `<h3>` that holds text alone, as Beautiful Soup's `.string`.
    var heading: String?
    /// The attributes of every `<img>` with a `src`, in document order.
    var images: [[String: String]] = []
    /// The `href` of the first `<link rel="icon">`.
    var icon: String?
    /// The `href` of the first oEmbed discovery link (`rel` `alternate`, else `alternative`).
    var oEmbedLink: String?
    /// The `src` of every `<video>`, then of every `<embed>`.
    var embeds: [String] = []
    /// The visible text nodes of the page, each with its whitespace runs as one line break, in document order; only
    /// as many as a description needs.
    var texts: [String] = []

    /// Elements whose text is not the page's own (Synapse's list).
    static let hiddenTextElements: Set<String> = [
        "head", "header", "nav", "aside", "footer", "script", "noscript", "style", "svg", "iframe", "video", "canvas", "img", "picture",
    ]
    static let hiddenRoles: Set<String> = ["directory", "menu", "menubar", "toolbar"]
    /// The most elements waiting in the text walk, so a deep or wide tree cannot take unbounded memory.
    static let walkLimit = 1024

    private static let parserReady: Void = xmlInitParser()

    /// Parses UTF-8 `html`; `nil` when libxml2 finds no document in it.
    static func parse(utf8 html: [UInt8]) -> HTMLPage? {
        guard !html.isEmpty else { return nil }
        _ = parserReady
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_IGNORE_ENC.rawValue
        )
        let document = html.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { htmlReadMemory($0.baseAddress, Int32(clamping: $0.count), nil, "UTF-8", options) }
        }
        guard let document else { return nil }
        defer { xmlFreeDoc(document) }
        guard document.pointee.children != nil else { return nil }
        var page = HTMLPage()
        page.collectElements(of: document)
        page.collectTexts(of: document)
        return page
    }

    private mutating func collectElements(of document: htmlDocPtr) {
        var alternative: String?
        var videos: [String] = []
        var embedded: [String] = []
        var pending = Array(Self.siblings(from: document.pointee.children).reversed())
        while let node = pending.popLast() {
            guard node.pointee.type == XML_ELEMENT_NODE, let name = Self.name(of: node) else { continue }
            let attributes = Self.attributes(of: node)
            switch name {
            case "meta":
                metas.append(attributes)
            case "title", "h1", "h2", "h3":
                if heading == nil, let text = Self.soleText(of: node) { heading = text }
            case "img":
                if attributes["src"] != nil { images.append(attributes) }
            case "link":
                let relations = (attributes["rel"] ?? "").lowercased().split(whereSeparator: \.isWhitespace)
                if icon == nil, relations.contains("icon"), let href = attributes["href"], !href.isEmpty { icon = href }
                if attributes["type"] == "application/json+oembed", let href = attributes["href"] {
                    if attributes["rel"] == "alternate", oEmbedLink == nil { oEmbedLink = href }
                    if attributes["rel"] == "alternative", alternative == nil { alternative = href }
                }
            case "video":
                if let source = attributes["src"] { videos.append(source) }
            case "embed":
                if let source = attributes["src"] { embedded.append(source) }
            default:
                break
            }
            pending.append(contentsOf: Self.children(of: node).reversed())
        }
        oEmbedLink = oEmbedLink ?? alternative
        embeds = videos + embedded
    }

    /// Synapse's walk for a description: text nodes outside hidden elements, stopping once a summary has enough.
    private mutating func collectTexts(of document: htmlDocPtr) {
        var pending = Array(Self.siblings(from: document.pointee.children).reversed())
        var summaryLength = 0
        while let node = pending.popLast(), summaryLength < OpenGraph.summaryMinimum {
            if node.pointee.type == XML_TEXT_NODE {
                let text = Self.text(of: node)
                let line = text.split(whereSeparator: \.isWhitespace).joined(separator: "\n")
                texts.append(line)
                summaryLength += line.unicodeScalars.count + 2
                continue
            }
            guard node.pointee.type == XML_ELEMENT_NODE, let name = Self.name(of: node), !Self.hiddenTextElements.contains(name) else { continue }
            if let role = Self.attributes(of: node)["role"], Self.hiddenRoles.contains(role) { continue }
            for child in Self.children(of: node).reversed() {
                guard pending.count <= Self.walkLimit else { break }
                pending.append(child)
            }
        }
    }

    private static func children(of node: xmlNodePtr) -> [xmlNodePtr] {
        siblings(from: node.pointee.children)
    }

    /// `first` and the siblings after it.
    private static func siblings(from first: xmlNodePtr?) -> [xmlNodePtr] {
        var children: [xmlNodePtr] = []
        var child = first
        while let current = child {
            children.append(current)
            child = current.pointee.next
        }
        return children
    }

    private static func name(of node: xmlNodePtr) -> String? {
        node.pointee.name.map { String(cString: $0).lowercased() }
    }

    private static func text(of node: xmlNodePtr) -> String {
        node.pointee.content.map { String(cString: $0) } ?? ""
    }

    private static func attributes(of node: xmlNodePtr) -> [String: String] {
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name {
                var value = ""
                var part = current.pointee.children
                while let piece = part {
                    value += text(of: piece)
                    part = piece.pointee.next
                }
                let key = String(cString: name).lowercased()
                if attributes[key] == nil { attributes[key] = value }
            }
            attribute = current.pointee.next
        }
        return attributes
    }

    /// Beautiful Soup's `.string`: the text of an element whose only child is text, or an element with such text.
    private static func soleText(of node: xmlNodePtr) -> String? {
        let children = children(of: node)
        guard children.count == 1, let child = children.first else { return nil }
        if child.pointee.type == XML_TEXT_NODE { return text(of: child) }
        return child.pointee.type == XML_ELEMENT_NODE ? soleText(of: child) : nil
    }
}
