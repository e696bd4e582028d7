import Federation
import MatrixTypes
import NIOCore
import NIOHTTP1

/// Fetches what a preview reads, as a crawler: GET with the configured `Accept-Language` and a bot `User-Agent`,
/// redirects followed one hop at a time (each hop's URL checked against `url_preview_url_blacklist`, and every
/// address of its host against the IP range lists before any connection, by `OutboundHTTP`), at most
/// `max_spider_size` bytes kept, only images, HTML and JSON accepted.
struct PreviewFetcher: Sendable {
    /// A page or image as fetched, with the URL it was finally fetched from.
    struct Fetched: Sendable {
        var url: PreviewURL
        /// `Content-Type` as sent, `application/octet-stream` when missing.
        var contentType: String
        /// The file name `Content-Disposition` gives, if any.
        var downloadName: String?
        var body: ByteBuffer

        var mediaType: String { contentType.lowercased().stripped() }
        var isImage: Bool { mediaType.hasPrefix("image/") }
        var isHTML: Bool { mediaType.hasPrefix("text/html") || mediaType.hasPrefix("application/xhtml") }
        var isJSON: Bool { mediaType.hasPrefix("application/json") }
    }

    /// No name or version of the software, which would tell sites what to attack.
    static let userAgent = "Axon (bot; Matrix URL previews)"
    /// Twisted's redirect limit, which Synapse's previews run under.
    static let redirectLimit = 20

    let http: OutboundHTTP
    let blacklist: URLBlacklist
    let acceptLanguage: String
    let sizeLimit: Int
    let timeout: Duration

    func fetch(_ url: PreviewURL) async throws(URLPreviewError) -> Fetched {
        var url = url
        for _ in 0...Self.redirectLimit {
            guard !blacklist.blocks(url) else { throw .blockedURL }
            switch try await exchange(url) {
            case .fetched(let fetched):
                return fetched
            case .redirect(let location):
                guard let next = url.resolving(location) else { throw .downloadFailed("redirect to an unusable location") }
                url = next
            }
        }
        throw .downloadFailed("too many redirects")
    }

    private enum Outcome {
        case fetched(Fetched)
        case redirect(String)
    }

    /// Stops reading an answer that is a redirect; only its `Location` matters.
    private struct Redirected: Error {
        let location: String
    }

    private final class Answer: @unchecked Sendable {
        // Filled by the exchange's callbacks, which run one after the other.
        var headers = HTTPHeaders()
        var body = ByteBuffer()
    }

    private func exchange(_ url: PreviewURL) async throws(URLPreviewError) -> Outcome {
        let endpoint = FederationEndpoint(host: url.host, port: url.port, hostHeader: url.hostHeader, tlsName: url.hostIsLiteral ? nil : url.host)
        let request = OutboundHTTP.Request(
            method: .GET, target: url.target, headers: [("Accept-Language", acceptLanguage), ("User-Agent", Self.userAgent), ("Accept", "*/*")]
        )
        let answer = Answer()
        let limit = sizeLimit
        do {
            try await http.exchange(request, to: endpoint, tls: url.isTLS, timeout: timeout) { status, headers in
                if [301, 302, 303, 307, 308].contains(status), let location = headers.first(name: "Location") {
                    throw Redirected(location: location)
                }
                guard (200..<300).contains(status) else { throw URLPreviewError.errorStatus(status) }
                let type = headers.first(name: "Content-Type") ?? "application/octet-stream"
                let media = type.lowercased().stripped()
                guard media.hasPrefix("image/") || media.hasPrefix("text/html") || media.hasPrefix("application/xhtml") || media.hasPrefix("application/json")
                else { throw URLPreviewError.unsupportedContentType(type) }
                if let length = headers.first(name: "Content-Length").flatMap(Int.init), length > limit { throw URLPreviewError.tooLarge(limit: limit) }
                answer.headers = headers
            } onBody: { chunk in
                guard answer.body.readableBytes + chunk.readableBytes <= limit else { throw URLPreviewError.tooLarge(limit: limit) }
                var chunk = chunk
                answer.body.writeBuffer(&chunk)
            }
        } catch let redirect as Redirected {
            return .redirect(redirect.location)
        } catch let error as URLPreviewError {
            throw error
        } catch let error as OutboundHTTPError {
            switch error {
            case .blockedAddress: throw url.hostIsLiteral ? .blockedAddress : .unresolvable
            case .unresolvable: throw .unresolvable
            case .responseTooLarge: throw .tooLarge(limit: limit)
            case .unreachable, .timedOut: throw .downloadFailed(error.description)
            }
        } catch {
            throw .downloadFailed("\(error)")
        }
        return .fetched(
            Fetched(
                url: url, contentType: answer.headers.first(name: "Content-Type") ?? "application/octet-stream",
                downloadName: answer.headers.first(name: "Content-Disposition").flatMap(Self.fileName), body: answer.body
            )
        )
    }

    /// The file name in a `Content-Disposition` header: `filename*` (RFC 5987, UTF-8) before `filename`.
    static func fileName(_ disposition: String) -> String? {
        var plain: String?
        for parameter in disposition.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.stripped() }
            guard parts.count == 2 else { continue }
            switch parts[0].lowercased() {
            case "filename*":
                let value = parts[1]
                guard value.lowercased().hasPrefix("utf-8''"), let decoded = percentDecoded(value.dropFirst("utf-8''".count)) else { continue }
                return decoded
            case "filename":
                var value = Substring(parts[1])
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
                plain = String(value)
            default:
                continue
            }
        }
        return plain.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var rest = text.utf8[...]
        while let byte = rest.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard rest.count >= 2, let value = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            rest = rest.dropFirst(2)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
