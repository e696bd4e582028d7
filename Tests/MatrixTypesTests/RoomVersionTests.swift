import MatrixTypes
import Testing

@Suite("Room versions")
struct RoomVersionTests {
    @Test func knowsVersionsOneToTwelve() {
        #expect(RoomVersion.all.map(\.identifier) == (1 ... 12).map(String.init))
        #expect(RoomVersion(identifier: "10") == .v10)
        #expect(RoomVersion(identifier: "13") == nil)
        #expect(RoomVersion(identifier: "org.matrix.msc1234") == nil)
        #expect(RoomVersion.recommended == .v12)
    }

    @Test func eventAndRoomIDFormats() {
        #expect(RoomVersion.all.map(\.eventFormat) == [.v1, .v1] + Array(repeating: .v3, count: 10))
        #expect(RoomVersion.all.map(\.eventIDFormat)
            == [.serverScoped, .serverScoped, .referenceHash] + Array(repeating: .urlSafeReferenceHash, count: 9))
        #expect(RoomVersion.all.map(\.roomIDFormat) == Array(repeating: .serverScoped, count: 11) + [.createEventHash])
    }

    @Test func redactionRulesAndStateResolution() {
        #expect(RoomVersion.all.map(\.redactionRules) == [.v1, .v1, .v1, .v1, .v1, .v6, .v6, .v8, .v9, .v9, .v11, .v11])
        #expect(RoomVersion.all.map(\.stateResolution) == [.v1] + Array(repeating: .v2, count: 10) + [.v2_1])
    }

    @Test func signingAndJSONStrictness() {
        #expect(RoomVersion.all.filter(\.enforcesSigningKeyValidity).first == .v5)
        #expect(RoomVersion.all.filter(\.requiresCanonicalJSON).first == .v6)
        #expect(RoomVersion.v5.eventParseOptions.allowsNonIntegers)
        #expect(RoomVersion.v5.eventParseOptions.allowsBigIntegers)
        #expect(RoomVersion.v6.eventParseOptions.integerRange == JSONParseOptions.canonical.integerRange)
        #expect(!RoomVersion.v6.eventParseOptions.allowsNonIntegers)
        #expect(!RoomVersion.v6.eventParseOptions.allowsBigIntegers)
        #expect(RoomVersion.all.allSatisfy { $0.eventParseOptions.maxDepth == PDU.maximumNestingDepth })
    }

    /// The first version each auth rule flag is set in, and that it stays set (or cleared) afterwards.
    @Test(arguments: [
        (\AuthRules.allowsKnocking, 7), (\.allowsRestrictedJoins, 8), (\.allowsKnockRestrictedJoins, 10),
        (\.requiresIntegerPowerLevels, 10), (\.usesCreateEventSenderAsCreator, 11), (\.givesCreatorsInfinitePower, 12),
        (\.checksNotificationsPowerLevels, 6),
    ] as [(any KeyPath<AuthRules, Bool> & Sendable, Int)])
    func authRuleFlagsStartAt(flag: any KeyPath<AuthRules, Bool> & Sendable, version: Int) {
        #expect(RoomVersion.all.map { $0.authRules[keyPath: flag] } == (1 ... 12).map { $0 >= version })
    }

    @Test(arguments: [
        (\AuthRules.checksRedactionsAndEventIDServer, 3), (\.specialCasesAliasesEvents, 6),
        (\.requiresCreateEventInAuthEvents, 12),
    ] as [(any KeyPath<AuthRules, Bool> & Sendable, Int)])
    func authRuleFlagsEndAt(flag: any KeyPath<AuthRules, Bool> & Sendable, version: Int) {
        #expect(RoomVersion.all.map { $0.authRules[keyPath: flag] } == (1 ... 12).map { $0 < version })
    }

    @Test func validatesIdentifierGrammar() {
        #expect(RoomVersion.isValidIdentifier("1.2-beta"))
        #expect(RoomVersion.isValidIdentifier("com.example.version"))
        #expect(!RoomVersion.isValidIdentifier(""))
        #expect(!RoomVersion.isValidIdentifier("V1"))
        #expect(!RoomVersion.isValidIdentifier(String(repeating: "1", count: 33)))
    }
}
