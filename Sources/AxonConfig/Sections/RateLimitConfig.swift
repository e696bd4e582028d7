/// Every `rc_*` rate limit, with Synapse's defaults. A key that is absent, or gives only one of
/// `per_second`/`burst_count`, falls back to the default for the missing part, as Synapse does.
public struct RateLimitConfig: Sendable, Hashable {
    /// `rc_message`: sending events, per user.
    public var message = RateLimit(perSecond: 0.2, burstCount: 10)
    /// `rc_registration`: registration requests, per IP.
    public var registration = RateLimit(perSecond: 0.17, burstCount: 3)
    /// `rc_registration_token_validity`: registration-token validity checks, per IP.
    public var registrationTokenValidity = RateLimit(perSecond: 0.1, burstCount: 5)
    /// `rc_login.address`: login requests, per IP.
    public var loginAddress = RateLimit(perSecond: 0.003, burstCount: 5)
    /// `rc_login.account`: login requests, per account.
    public var loginAccount = RateLimit(perSecond: 0.003, burstCount: 5)
    /// `rc_login.failed_attempts`: failed logins, per account.
    public var loginFailedAttempts = RateLimit(perSecond: 0.17, burstCount: 3)
    /// `rc_admin_redaction`: redactions by server admins; `nil` means admins use `message`.
    public var adminRedaction: RateLimit?
    /// `rc_joins.local`: joins to rooms this server is already in, per user.
    public var joinsLocal = RateLimit(perSecond: 0.1, burstCount: 10)
    /// `rc_joins.remote`: joins over federation, per user.
    public var joinsRemote = RateLimit(perSecond: 0.01, burstCount: 10)
    /// `rc_joins_per_room`: joins to one room, from any user.
    public var joinsPerRoom = RateLimit(perSecond: 1, burstCount: 10)
    /// `rc_key_requests`: cross-user key requests, per device or origin server.
    public var keyRequests = RateLimit(perSecond: 20, burstCount: 100)
    /// `rc_3pid_validation`: third-party identifier validation requests.
    public var threePIDValidation = RateLimit(perSecond: 0.003, burstCount: 5)
    /// `rc_invites.per_room`: invites into one room.
    public var invitesPerRoom = RateLimit(perSecond: 0.3, burstCount: 10)
    /// `rc_invites.per_user`: invites received by one user.
    public var invitesPerUser = RateLimit(perSecond: 0.003, burstCount: 5)
    /// `rc_invites.per_issuer`: invites sent by one user.
    public var invitesPerIssuer = RateLimit(perSecond: 0.3, burstCount: 10)
    /// `rc_third_party_invite`: third-party invites, per user.
    public var thirdPartyInvite = RateLimit(perSecond: 0.0025, burstCount: 5)
    /// `rc_media_create`: `POST /media/v1/create`, per user.
    public var mediaCreate = RateLimit(perSecond: 10, burstCount: 50)
    /// `rc_presence.per_user`: presence updates, per user.
    public var presencePerUser = RateLimit(perSecond: 0.1, burstCount: 1)
    /// `rc_delayed_event_mgmt`: managing delayed events, per user.
    public var delayedEventManagement = RateLimit(perSecond: 1, burstCount: 5)
    /// `rc_room_creation`: room creation, per user.
    public var roomCreation = RateLimit(perSecond: 0.016, burstCount: 10)
    /// `rc_reports`: content reports, per user.
    public var reports = RateLimit(perSecond: 1, burstCount: 5)
    /// `rc_user_directory`: user-directory searches, per user.
    public var userDirectory = RateLimit(perSecond: 0.016, burstCount: 200)
    /// `rc_profile`: profile lookups, per user (per address when unauthenticated).
    public var profile = RateLimit(perSecond: 1, burstCount: 500)
    /// `rc_typing` (Axon's own; Synapse does not limit typing): typing notifications, per user.
    public var typing = RateLimit(perSecond: 10, burstCount: 100)
    /// `rc_receipts` (Axon's own): read receipts and read markers, per user.
    public var receipts = RateLimit(perSecond: 10, burstCount: 100)
    /// `rc_account_data` (Axon's own): account data and tag writes, per user.
    public var accountData = RateLimit(perSecond: 10, burstCount: 100)
    /// `rc_voip` (Axon's own; Synapse does not limit it): TURN credential requests (`/voip/turnServer`), per user.
    public var voip = RateLimit(perSecond: 10, burstCount: 100)
    /// `rc_federation`: inbound federation requests, per origin server.
    public var federation = FederationRateLimit()
    /// `remote_media_download_per_second` / `remote_media_download_burst_count`, in bytes, per requester.
    public var remoteMediaDownload = RateLimit(perSecond: 87 * 1024, burstCount: 500 * 1024 * 1024)
    /// `federation_rr_transactions_per_room_per_second`: read-receipt transactions sent per room.
    public var federationReceiptTransactionsPerRoomPerSecond = 50

    public init() {}
}

extension RateLimitConfig {
    /// The plain `RateLimit` keys: where each lives in the file and in this struct.
    private static var buckets: [(path: [String], field: WritableKeyPath<RateLimitConfig, RateLimit>)] {
        [
            (["rc_registration"], \.registration),
            (["rc_registration_token_validity"], \.registrationTokenValidity),
            (["rc_login", "address"], \.loginAddress),
            (["rc_login", "account"], \.loginAccount),
            (["rc_login", "failed_attempts"], \.loginFailedAttempts),
            (["rc_joins", "local"], \.joinsLocal),
            (["rc_joins", "remote"], \.joinsRemote),
            (["rc_joins_per_room"], \.joinsPerRoom),
            (["rc_key_requests"], \.keyRequests),
            (["rc_3pid_validation"], \.threePIDValidation),
            (["rc_invites", "per_room"], \.invitesPerRoom),
            (["rc_invites", "per_user"], \.invitesPerUser),
            (["rc_invites", "per_issuer"], \.invitesPerIssuer),
            (["rc_third_party_invite"], \.thirdPartyInvite),
            (["rc_media_create"], \.mediaCreate),
            (["rc_presence", "per_user"], \.presencePerUser),
            (["rc_delayed_event_mgmt"], \.delayedEventManagement),
            (["rc_room_creation"], \.roomCreation),
            (["rc_reports"], \.reports),
            (["rc_user_directory"], \.userDirectory),
            (["rc_profile"], \.profile),
            (["rc_typing"], \.typing),
            (["rc_receipts"], \.receipts),
            (["rc_account_data"], \.accountData),
            (["rc_voip"], \.voip),
        ]
    }

    init(from root: MappingReader) {
        // Keys such as `rc_login` group several limits; each group is read once so a bad one reports once.
        var groups: [String: MappingReader?] = [:]
        for (path, field) in Self.buckets {
            guard let top = path.first else { continue }
            let reader: MappingReader?
            if path.count == 1 {
                reader = root.mapping(top)
            } else {
                if groups[top] == nil { groups[top] = .some(root.mapping(top)) }
                reader = groups[top]??.mapping(path[1])
            }
            if let reader { self[keyPath: field] = Self.rateLimit(reader, default: self[keyPath: field]) }
        }
        groups.values.forEach { $0?.warnAboutUnknownKeys() }

        if let reader = root.mapping("rc_message") {
            message = Self.rateLimit(reader, default: message)
        } else {
            message.perSecond = root.double("rc_messages_per_second") ?? message.perSecond
            message.burstCount = root.double("rc_message_burst_count") ?? message.burstCount
        }
        if let reader = root.mapping("rc_admin_redaction") {
            adminRedaction = Self.rateLimit(reader, default: RateLimit(perSecond: 0.17, burstCount: 3))
        }
        federation = Self.federationLimit(root)
        remoteMediaDownload.perSecond = root.size("remote_media_download_per_second").map(Double.init) ?? remoteMediaDownload.perSecond
        remoteMediaDownload.burstCount = root.size("remote_media_download_burst_count").map(Double.init) ?? remoteMediaDownload.burstCount
        federationReceiptTransactionsPerRoomPerSecond =
            root.value("federation_rr_transactions_per_room_per_second")?.int(in: 0...Int.max) ?? federationReceiptTransactionsPerRoomPerSecond
    }

    private static func rateLimit(_ reader: MappingReader, default fallback: RateLimit) -> RateLimit {
        var limit = fallback
        for (key, field) in [("per_second", \RateLimit.perSecond), ("burst_count", \RateLimit.burstCount)] {
            guard let value = reader.value(key), let number = value.double() else { continue }
            if number < 0 {
                value.error("must not be negative")
            } else {
                limit[keyPath: field] = number
            }
        }
        reader.warnAboutUnknownKeys()
        return limit
    }

    /// `rc_federation`, or the older flat `federation_rc_*` keys when it is absent.
    private static func federationLimit(_ root: MappingReader) -> FederationRateLimit {
        let fields: [(String, WritableKeyPath<FederationRateLimit, Int>)] = [
            ("window_size", \.windowSize), ("sleep_limit", \.sleepLimit), ("sleep_delay", \.sleepDelay),
            ("reject_limit", \.rejectLimit), ("concurrent", \.concurrent),
        ]
        var limit = FederationRateLimit()
        if let reader = root.mapping("rc_federation") {
            for (key, field) in fields {
                if let value = reader.value(key)?.int(in: 0...Int.max) { limit[keyPath: field] = value }
            }
            reader.warnAboutUnknownKeys()
        } else {
            for (key, field) in fields {
                if let value = root.value("federation_rc_\(key)")?.int(in: 0...Int.max) { limit[keyPath: field] = value }
            }
        }
        return limit
    }
}
