import MatrixHTTP

/// Roles whose work this version cannot do yet. Their executables still start and answer `/health`, but
/// readiness says why they are not useful, so nothing routes traffic to them by mistake.
enum RoleAvailability {
    static func missingReason(_ role: ProcessRole) -> String? {
        switch role {
        case .main, .clientReader, .eventPersister:
            nil
        case .federationReceiver:
            "the federation receiver serves keys, profiles, the room directory, memberships, transactions' events and room reads; inbound federation of EDUs (typing, receipts) is taken by the main process only, and not yet on this role"
        case .federationSender:
            "the federation sender sends local users' events, typing and receipts as they are written; outbound federation of presence, device lists and to-device messages, and catching a destination up after a restart, are not built yet"
        case .media:
            "the media role (media repository and URL previews) is not built yet"
        }
    }
}
