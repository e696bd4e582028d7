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
        for raw in URLComponentBytes.split(path, at: UInt8(ascii: "/")).dropFirst() {
            guard let decoded = URLComponentBytes.percentDecode(raw, plusIsSpace: false), !decoded.utf8.contains(0) else { return nil }
            segments.append(decoded)
        }
        return segments
    }
}
