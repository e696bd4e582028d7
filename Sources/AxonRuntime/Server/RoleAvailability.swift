import MatrixHTTP

/// Roles whose work this version cannot do yet. Their executables still start and answer `/health`, but
/// readiness says why they are not useful, so nothing routes traffic to them by mistake.
enum RoleAvailability {
    static func missingReason(_ role: ProcessRole) -> String? {
        switch role {
        case .main, .clientReader, .eventPersister, .federationReceiver, .federationSender:
            nil
        case .media:
            "the media role (media repository and URL previews) is not built yet"
        }
    }
}
