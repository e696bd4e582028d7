/// Everything that differs between room versions, so the rest of Axon asks the version instead of comparing numbers.
public struct RoomVersion: Sendable, Hashable, CustomStringConvertible {
    /// The version string, as in `m.room.create`'s `room_version`.
    public let identifier: String
    public let eventFormat: EventFormat
    public let eventIDFormat: EventIDFormat
    public let roomIDFormat: RoomIDFormat
    public let redactionRules: RedactionRules
    public let stateResolution: StateResolutionAlgorithm
    public let authRules: AuthRules
    /// Rooms v5 and later: a signing key must be valid (`valid_until_ts`) at the event's `origin_server_ts`.
    public let enforcesSigningKeyValidity: Bool
    /// Rooms v6 and later: events must be canonical JSON (no floats, integers within the canonical range);
    /// earlier versions accept such values for compatibility.
    public let requiresCanonicalJSON: Bool

    public var description: String { identifier }

    /// How to parse an event of this version: strict canonical JSON from v6, Python's JSON (floats, integers of
    /// any size) before; nested no deeper than ``PDU/maximumNestingDepth`` in every version.
    public var eventParseOptions: JSONParseOptions {
        var options = requiresCanonicalJSON ? JSONParseOptions.canonical : .standard
        options.maxDepth = PDU.maximumNestingDepth
        return options
    }

    /// The version with this identifier, if Axon supports it.
    public init?(identifier: String) {
        guard let known = Self.all.first(where: { $0.identifier.hasSameBytes(as: identifier) }) else { return nil }
        self = known
    }

    /// Room version identifiers: 1 to 32 characters from `a-z 0-9 . -` (room versions appendix grammar).
    public static func isValidIdentifier(_ identifier: String) -> Bool {
        (1 ... 32).contains(identifier.unicodeScalars.count) && identifier.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "-"): true
            default: false
            }
        }
    }

    /// Every room version Axon supports, oldest first.
    public static let all: [RoomVersion] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12]

    /// The version the spec recommends for new rooms.
    public static let recommended = v12

    private init(
        _ identifier: String,
        eventFormat: EventFormat = .v3,
        eventIDFormat: EventIDFormat = .urlSafeReferenceHash,
        roomIDFormat: RoomIDFormat = .serverScoped,
        redactionRules: RedactionRules,
        stateResolution: StateResolutionAlgorithm = .v2,
        authRules: AuthRules,
        enforcesSigningKeyValidity: Bool = true,
        requiresCanonicalJSON: Bool = true
    ) {
        self.identifier = identifier
        self.eventFormat = eventFormat
        self.eventIDFormat = eventIDFormat
        self.roomIDFormat = roomIDFormat
        self.redactionRules = redactionRules
        self.stateResolution = stateResolution
        self.authRules = authRules
        self.enforcesSigningKeyValidity = enforcesSigningKeyValidity
        self.requiresCanonicalJSON = requiresCanonicalJSON
    }
}

extension RoomVersion {
    private static let v1AuthRules = AuthRules(
        checksRedactionsAndEventIDServer: true,
        specialCasesAliasesEvents: true,
        checksNotificationsPowerLevels: false,
        allowsKnocking: false,
        allowsRestrictedJoins: false,
        allowsKnockRestrictedJoins: false,
        requiresIntegerPowerLevels: false,
        usesCreateEventSenderAsCreator: false,
        givesCreatorsInfinitePower: false,
        requiresCreateEventInAuthEvents: true
    )

    private static func authRules(_ change: (inout AuthRules) -> Void, after base: AuthRules) -> AuthRules {
        var rules = base
        change(&rules)
        return rules
    }

    private static let v3AuthRules = authRules({ $0.checksRedactionsAndEventIDServer = false }, after: v1AuthRules)
    private static let v6AuthRules = authRules({
        $0.specialCasesAliasesEvents = false
        $0.checksNotificationsPowerLevels = true
    }, after: v3AuthRules)
    private static let v7AuthRules = authRules({ $0.allowsKnocking = true }, after: v6AuthRules)
    private static let v8AuthRules = authRules({ $0.allowsRestrictedJoins = true }, after: v7AuthRules)
    private static let v10AuthRules = authRules({
        $0.allowsKnockRestrictedJoins = true
        $0.requiresIntegerPowerLevels = true
    }, after: v8AuthRules)
    private static let v11AuthRules = authRules({ $0.usesCreateEventSenderAsCreator = true }, after: v10AuthRules)
    private static let v12AuthRules = authRules({
        $0.givesCreatorsInfinitePower = true
        $0.requiresCreateEventInAuthEvents = false
    }, after: v11AuthRules)

    public static let v1 = RoomVersion(
        "1", eventFormat: .v1, eventIDFormat: .serverScoped, redactionRules: .v1, stateResolution: .v1,
        authRules: v1AuthRules, enforcesSigningKeyValidity: false, requiresCanonicalJSON: false
    )
    public static let v2 = RoomVersion(
        "2", eventFormat: .v1, eventIDFormat: .serverScoped, redactionRules: .v1,
        authRules: v1AuthRules, enforcesSigningKeyValidity: false, requiresCanonicalJSON: false
    )
    public static let v3 = RoomVersion(
        "3", eventIDFormat: .referenceHash, redactionRules: .v1,
        authRules: v3AuthRules, enforcesSigningKeyValidity: false, requiresCanonicalJSON: false
    )
    public static let v4 = RoomVersion(
        "4", redactionRules: .v1, authRules: v3AuthRules, enforcesSigningKeyValidity: false, requiresCanonicalJSON: false
    )
    public static let v5 = RoomVersion("5", redactionRules: .v1, authRules: v3AuthRules, requiresCanonicalJSON: false)
    public static let v6 = RoomVersion("6", redactionRules: .v6, authRules: v6AuthRules)
    public static let v7 = RoomVersion("7", redactionRules: .v6, authRules: v7AuthRules)
    public static let v8 = RoomVersion("8", redactionRules: .v8, authRules: v8AuthRules)
    public static let v9 = RoomVersion("9", redactionRules: .v9, authRules: v8AuthRules)
    public static let v10 = RoomVersion("10", redactionRules: .v9, authRules: v10AuthRules)
    public static let v11 = RoomVersion("11", redactionRules: .v11, authRules: v11AuthRules)
    public static let v12 = RoomVersion(
        "12", roomIDFormat: .createEventHash, redactionRules: .v11, stateResolution: .v2_1, authRules: v12AuthRules
    )
}
