/// The server part of an identifier as the authorisation rules read it (Synapse's `get_domain_from_id`):
/// everything after the first `:`, found by bytes so that a combining mark after the colon cannot hide it.
///
/// Membership state keys, `join_authorised_via_users_server` and a v1–v2 redaction's `redacts` are not validated
/// identifiers, so one without a colon has no server part, and the rules refuse the event.
enum DomainPart {
    static func of(_ id: some StringProtocol) -> String? {
        guard let colon = id.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        return String(decoding: id.utf8[id.utf8.index(after: colon)...], as: UTF8.self)
    }

    /// Whether `id` has the shape Synapse requires of the keys of power levels' `users`: `@`, then a colon
    /// somewhere after it. The server part is not validated, so a user whose server name is malformed may still be
    /// listed, and no other server refuses that.
    static func isUserIDShaped(_ id: some StringProtocol) -> Bool {
        id.utf8.first == UInt8(ascii: "@") && id.utf8.dropFirst().contains(UInt8(ascii: ":"))
    }
}
