#if canImport(Glibc)
import Glibc
#endif

/// Which character set a page is in, tried in Synapse's order: a `<meta>` charset (its own attribute or
/// `http-equiv`'s content) in the first kilobyte, an XML declaration's encoding, the `Content-Type` header's
/// charset, then UTF-8, then Windows-1252. The first that decodes the whole body without error wins.
enum HTMLCharset {
    /// The body as UTF-8, or `nil` when no candidate decodes it.
    static func decode(_ body: [UInt8], contentType: String?) -> [UInt8]? {
        for charset in candidates(body, contentType: contentType) {
            if let decoded = decode(body, from: charset) { return decoded }
        }
        return nil
    }

    static func candidates(_ body: [UInt8], contentType: String?) -> [String] {
        // The first kilobyte read byte for byte, so the patterns below see ASCII as ASCII whatever the encoding.
        let start = String(String.UnicodeScalarView(body.prefix(1024).map { Unicode.Scalar($0) }))
        var found: [String] = []
        if let meta = try? metaCharset.firstMatch(in: start) { found.append(String(meta.1)) }
        if let xml = try? xmlEncoding.prefixMatch(in: start) { found.append(String(xml.1)) }
        if let contentType, let header = try? headerCharset.firstMatch(in: contentType) { found.append(String(header.1)) }
        var candidates: [String] = []
        for name in found.map({ $0.lowercased() }) + ["utf-8", "cp1252"] where !candidates.contains(name) {
            candidates.append(name)
        }
        return candidates
    }

    nonisolated(unsafe) private static let metaCharset = #/<\s*meta[^>]*charset\s*=\s*"?([a-zA-Z0-9_-]+)"?/#.ignoresCase()
    nonisolated(unsafe) private static let xmlEncoding = #/\s*<\s*\?\s*xml[^>]*encoding="([a-zA-Z0-9_-]+)"/#.ignoresCase()
    nonisolated(unsafe) private static let headerCharset = #/;\s*charset="?([^";]*)"?/#.ignoresCase()

    /// `body` converted from `charset` to UTF-8 by iconv; `nil` for an unknown charset or a byte sequence invalid in it.
    static func decode(_ body: [UInt8], from charset: String) -> [UInt8]? {
        if charset == "utf-8" || charset == "utf8" {
            return String(validating: body, as: UTF8.self) == nil ? nil : body
        }
        let converter = iconv_open("UTF-8", charset)
        guard let converter, Int(bitPattern: converter) != -1 else { return nil }
        defer { iconv_close(converter) }
        var output = [UInt8](repeating: 0, count: body.count * 3 + 16)
        var input = body
        let written: Int? = input.withUnsafeMutableBytes { inputBytes in
            output.withUnsafeMutableBytes { outputBytes in
                var inPointer = inputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var inLeft = inputBytes.count
                var outPointer = outputBytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = outputBytes.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outputBytes.count - outLeft
            }
        }
        guard let written else { return nil }
        output.removeSubrange(written...)
        return output
    }
}
