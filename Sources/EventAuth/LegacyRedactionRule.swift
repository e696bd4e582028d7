import MatrixTypes

/// Rooms v1–v2 authorise redactions: the sender needs the redact level, or must be on the server that created the
/// redacted event (judged by the servers in the two event IDs).
enum LegacyRedactionRule {
    static func check(_ context: AuthContext) throws(AuthorizationError) {
        let event = context.event
        if context.senderLevel() >= context.powers.redact { return }
        guard let redacts = event.redacts, let target = redacts.serverName, target == event.eventID.serverName else {
            throw AuthorizationError("\(event.sender) may not redact events from other servers")
        }
    }
}
