/// A route path such as `/_matrix/client/v3/rooms/{roomId}/event/{eventId}`.
///
/// Matching works on the raw request path split at `/` *before* percent-decoding each segment, because
/// event IDs of room versions 3+ may contain an encoded `/`.
public struct PathTemplate: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case literal(String)
        case parameter(String)
    }

    public let segments: [Segment]
    public let description: String

    /// The one parameter that may be empty, as the last segment of a path.
    public static let emptyAllowedParameter = "stateKey"

    public init(_ template: String) {
        precondition(template.hasPrefix("/"), "route templates are absolute: \(template)")
        description = template
        segments = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { part in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .parameter(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
    }

    public var parameterNames: [String] {
        segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }

    /// Splits a raw request path into its percent-decoded segments; nil when an escape is malformed,
    /// decodes to invalid UTF-8 or to a NUL (no identifier, event type or state key may hold one, and
    /// PostgreSQL text cannot).
    public static func decodedSegments(ofRawPath path: Substring) -> [String]? {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard let decoded = percentDecode(raw), !decoded.utf8.contains(0) else { return nil }
            segments.append(decoded)
        }
        return segments
    }

    static func percentDecode(_ raw: Substring) -> String? {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.utf8.count)
        var iterator = raw.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
