public import NIOCore

/// The `multipart/mixed` answer of the federation media endpoints: a JSON part (metadata, `{}` today), then the media
/// itself with its `Content-Type` and `Content-Disposition` (or a `Location` to fetch it from). The writer frames a
/// file we stream out; the reader takes another server's answer apart as it arrives, handing on the media part's
/// bytes without holding them.
public enum MultipartMixed {
    /// What comes before the media's bytes.
    public static func head(boundary: String, contentType: String, disposition: String) -> ByteBuffer {
        ByteBuffer(
            string: "--\(boundary)\r\nContent-Type: application/json\r\n\r\n{}\r\n--\(boundary)\r\n"
                + "Content-Type: \(contentType)\r\nContent-Disposition: \(disposition)\r\n\r\n"
        )
    }

    /// What follows the media's bytes.
    public static func tail(boundary: String) -> ByteBuffer {
        ByteBuffer(string: "\r\n--\(boundary)--\r\n")
    }

    /// The boundary named by a `Content-Type: multipart/mixed; boundary=…` header, quoted or not.
    public static func boundary(fromContentType contentType: String) -> String? {
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: " \t") }
        guard let type = parameters.first, type.lowercased() == "multipart/mixed" else { return nil }
        for parameter in parameters.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count) else { return nil }
            return value
        }
        return nil
    }
}

/// Why another server's multipart answer could not be read.
public struct MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// Reads a `multipart/mixed` media answer incrementally. Headers and the JSON part are bounded (16 KiB and 64 KiB);
/// the media part's bytes are handed on as soon as they cannot be the start of the closing delimiter.
public struct MultipartMixedReader {
    public enum Event: Equatable {
        /// The media part's headers, names lowercased.
        case mediaHead([String: String])
        case mediaBytes(ByteBuffer)
        /// The closing delimiter after the media part.
        case end
    }

    private enum State {
        case preamble, metadataHeaders, metadataBody, afterMetadata, mediaHeaders, mediaBody, done
    }

    private let delimiter: [UInt8]
    private var state = State.preamble
    private var pending: [UInt8] = []

    static let headerLimit = 16 * 1024
    static let metadataLimit = 64 * 1024

    public init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Takes the next bytes of the answer; returns what they completed.
    public mutating func feed(_ chunk: ByteBuffer) throws(MultipartError) -> [Event] {
        pending += chunk.readableBytesView
        var events: [Event] = []
        while true {
            switch state {
            case .preamble:
                // The first delimiter may open the body without the CRLF before it.
                let opening = Array(delimiter.dropFirst(2))
                if pending.starts(with: opening) {
                    pending.removeFirst(opening.count)
                } else if let index = pending.firstRange(of: delimiter) {
                    pending.removeFirst(index.upperBound)
                } else {
                    if pending.count > Self.metadataLimit { throw MultipartError(description: "no opening boundary") }
                    return events
                }
                state = .metadataHeaders
            case .metadataHeaders, .mediaHeaders:
                // A part without headers has its blank line right after the delimiter's line break.
                let end = pending.starts(with: Array("\r\n".utf8)) ? 0..<2 : pending.firstRange(of: Array("\r\n\r\n".utf8))
                guard let end else {
                    if pending.count > Self.headerLimit { throw MultipartError(description: "part headers too long") }
                    return events
                }
                let text = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                pending.removeFirst(end.upperBound)
                if state == .mediaHeaders {
                    events.append(.mediaHead(Self.headers(text)))
                    state = .mediaBody
                } else {
                    state = .metadataBody
                }
            case .metadataBody:
                guard case .found(let index) = delimiterLine() else {
                    if pending.count > Self.metadataLimit { throw MultipartError(description: "metadata part too long") }
                    return events
                }
                pending.removeFirst(index.upperBound)
                state = .afterMetadata
            case .afterMetadata:
                guard pending.count >= 2 else { return events }
                guard pending.starts(with: Array("\r\n".utf8)) else { throw MultipartError(description: "no media part") }
                pending.removeFirst(2)
                state = .mediaHeaders
            case .mediaBody:
                let ready: Int
                switch delimiterLine() {
                case .found(let index):
                    if index.lowerBound > 0 { events.append(.mediaBytes(ByteBuffer(bytes: pending[..<index.lowerBound]))) }
                    pending.removeAll()
                    events.append(.end)
                    state = .done
                    return events
                case .mayStartAt(let start):
                    ready = start
                case .none:
                    // Keep what could be the start of the delimiter; hand on the rest.
                    ready = pending.count - min(pending.count, delimiter.count - 1)
                }
                if ready > 0 {
                    events.append(.mediaBytes(ByteBuffer(bytes: pending[..<ready])))
                    pending.removeFirst(ready)
                }
                return events
            case .done:
                pending.removeAll()
                return events
            }
        }
    }

    private enum DelimiterSearch {
        case found(Range<Int>)
        /// A delimiter starts here but what follows it has not arrived.
        case mayStartAt(Int)
        case none
    }

    /// The first delimiter line in what is pending: the delimiter followed by `--` (the last) or by padding and a line
    /// break. The delimiter's bytes followed by anything else are content (RFC 2046).
    private func delimiterLine() -> DelimiterSearch {
        var from = 0
        while let range = pending[from...].firstRange(of: delimiter) {
            guard range.upperBound + 2 <= pending.count else { return .mayStartAt(range.lowerBound) }
            let next = pending[range.upperBound..<range.upperBound + 2]
            if next.elementsEqual("--".utf8) || next.elementsEqual("\r\n".utf8) || next.first == UInt8(ascii: " ") || next.first == UInt8(ascii: "\t") {
                return .found(range)
            }
            from = range.lowerBound + 1
        }
        return .none
    }

    /// Whether the media part ended with its delimiter.
    public var isComplete: Bool { state == .done }

    private static func headers(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            headers[pair[0].trimmingCharacters(in: " \t").lowercased()] = pair[1].trimmingCharacters(in: " \t")
        }
        return headers
    }
}

extension StringProtocol {
    /// Without leading and trailing `characters`.
    func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        return String(drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}
