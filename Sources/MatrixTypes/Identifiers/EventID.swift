/// An event ID in any room version's format: `$opaque:server` (v1, v2), `$` + base64 reference hash (v3),
/// or `$` + URL-safe base64 reference hash (v4 and later).
///
/// Parsing without a room version accepts all three; ``isValid(for:)`` checks one version's format.
public struct EventID: MatrixIdentifier {
    public let rawValue: String
    /// The server that created the event, for the v1/v2 format only.
    public let serverName: ServerName?

    public init(_ string: String) throws(IdentifierError) {
        if SigilledIdentifier.hasColon(string) {
            serverName = try SigilledIdentifier.split(string, sigil: "$", kind: "Event ID").serverName
        } else {
            try SigilledIdentifier.checkSigilAndLength(string, sigil: "$", kind: "Event ID")
            let hash = SigilledIdentifier.afterSigil(string)
            guard ReferenceHashGrammar.isHash(hash, urlSafe: false) || ReferenceHashGrammar.isHash(hash, urlSafe: true) else {
                throw IdentifierError("Event ID '\(string)' is neither '$opaque:server' nor a base64 reference hash")
            }
            serverName = nil
        }
        rawValue = string
    }

    /// The part after the `$` sigil (for hash IDs, the encoded reference hash).
    public var opaquePart: Substring { SigilledIdentifier.afterSigil(rawValue) }

    /// Whether this ID has the shape `format` prescribes.
    public func isValid(for format: EventIDFormat) -> Bool {
        switch format {
        case .serverScoped: serverName != nil
        case .referenceHash: ReferenceHashGrammar.isHash(opaquePart, urlSafe: false)
        case .urlSafeReferenceHash: ReferenceHashGrammar.isHash(opaquePart, urlSafe: true)
        }
    }
}
