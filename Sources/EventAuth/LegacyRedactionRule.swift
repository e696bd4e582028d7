import MatrixTypes

/// Rooms v1–v2 authorise redactions: the sender needs the redact level, or must be on the server that created the
/// redacted event (judged by the text after the first `:` of the two event IDs, as Synapse judges it).
enum LegacyRedactionRule {
    static func check(_ context: AuthContext) throws(AuthorizationError) {
        let event = context.event
        if context.senderLevel() >= context.powers.redact { return }
        // Synapse lets through a redaction whose `redacts` is missing or not a string: it redacts nothing.
        guard let redacts = event.json["redacts"]?.stringValue else { return }
        guard let target = DomainPart.of(redacts), let own = DomainPart.of(event.eventID.rawValue),
              target.hasSameBytes(as: own)
        else { throw AuthorizationError("\(event.sender) may not redact events from other servers") }
    }
}
