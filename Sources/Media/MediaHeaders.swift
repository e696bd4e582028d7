/// The headers media is served with, as Synapse sets them: only a short list of passive types is shown inline, every
/// other type (HTML, SVG, scripts, …) is an attachment, and a sandboxing `Content-Security-Policy` covers all of it, so
/// nothing uploaded can run as the server's origin.
public enum MediaHeaders {
    /// Types a browser may show in place.
    static let inlineTypes: Set<String> = [
        "text/css", "text/plain", "text/csv", "application/json", "application/ld+json", "image/jpeg", "image/gif", "image/png",
        "image/apng", "image/webp", "image/avif", "video/mp4", "video/webm", "video/ogg", "video/quicktime", "audio/mp4", "audio/webm",
        "audio/aac", "audio/mpeg", "audio/ogg", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wav", "audio/flac", "audio/x-flac",
    ]

    /// Text types served with `charset=UTF-8` when they name no charset.
    static let textTypes: Set<String> = [
        "text/css", "text/csv", "text/html", "text/calendar", "text/plain", "text/javascript", "application/json", "application/ld+json",
        "application/rtf", "image/svg+xml", "text/xml",
    ]

    /// Sent with every piece of media and every thumbnail.
    public static let common: [(String, String)] = [
        (
            "Content-Security-Policy",
            "sandbox; default-src 'none'; script-src 'none'; plugin-types application/pdf; style-src 'unsafe-inline'; media-src 'self'; object-src 'self';"
        ),
        ("X-Content-Security-Policy", "sandbox;"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "public,max-age=86400,s-maxage=86400"),
        ("X-Robots-Tag", "noindex, nofollow, noarchive, noimageindex"),
    ]

    /// The `Content-Type` to send for stored `contentType`.
    public static func contentType(_ contentType: String) -> String {
        let essence = Self.essence(contentType)
        guard textTypes.contains(essence), !contentType.lowercased().contains("charset=") else { return contentType }
        return "\(contentType); charset=UTF-8"
    }

    /// `inline` or `attachment`, with the file name as a token when it is one and RFC 5987's `filename*` otherwise.
    public static func contentDisposition(contentType: String, fileName: String?) -> String {
        let disposition = inlineTypes.contains(essence(contentType)) ? "inline" : "attachment"
        guard let fileName, !fileName.isEmpty else { return disposition }
        if fileName.utf8.allSatisfy(isTokenByte) { return "\(disposition); filename=\(fileName)" }
        return "\(disposition); filename*=utf-8''\(percentEncoded(fileName))"
    }

    /// The type without parameters, lowercased: `Text/HTML; charset=x` is `text/html`.
    static func essence(_ contentType: String) -> String {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return type.trimmingCharacters(in: " \t").lowercased()
    }

    /// RFC 2616's token characters: visible ASCII but separators.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard (0x21...0x7E).contains(byte) else { return false }
        return !#"()<>@,;:\"/[]?={}"#.utf8.contains(byte)
    }

    /// Every byte but unreserved characters percent-encoded (RFC 5987 `attr-char`s less a few, `/` included).
    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}

extension MediaHeaders {
    /// The file name in another server's `Content-Disposition`: `filename*=utf-8''…` (percent-decoded) before a plain
    /// `filename=` (quoted or a token), as RFC 6266 prefers; `nil` when it names none or one that does not decode.
    public static func fileName(fromDisposition disposition: String) -> String? {
        var plain: String?
        for parameter in disposition.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: " \t") }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "filename*":
                let value = pair[1]
                guard value.lowercased().hasPrefix("utf-8''") else { continue }
                if let decoded = String(value.dropFirst("utf-8''".count)).removingPercentEncodingBytes() { return decoded }
            case "filename":
                var value = pair[1]
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                plain = value
            default:
                continue
            }
        }
        return plain
    }
}

extension String {
    /// Percent-decoded as UTF-8; `nil` for a broken escape or bytes that are not UTF-8.
    fileprivate func removingPercentEncodingBytes() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
