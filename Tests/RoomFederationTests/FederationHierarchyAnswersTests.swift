import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
@testable import RoomFederation
import RoomStore
import Rooms
import Spaces
import Testing

/// The federation `/hierarchy` answer behind `m.room.server_acl`: a server the space's ACL denies is refused, and a
/// child whose ACL denies it counts as inaccessible.
@Suite struct FederationHierarchyAnswersTests {
    @Test func aDeniedServerIsRefusedAndDeniedChildrenAreInaccessible() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let server = try ServerName("acl.test")
            let writer = RoomWriter(store: store, serverName: server, signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: Logger(label: "acl"))
            let owner = try UserID("@owner:acl.test")
            func room(space: Bool, acl: JSONValue? = nil) async throws -> RoomID {
                var create: JSONObject = ["room_version": "10", "creator": .string(owner.rawValue)]
                if space { create["type"] = "m.space" }
                var intents = [
                    EventIntent(sender: owner, type: EventType.create, stateKey: "", content: .object(create)),
                    EventIntent(sender: owner, type: EventType.member, stateKey: owner.rawValue, content: ["membership": "join"]),
                    EventIntent(sender: owner, type: EventType.powerLevels, stateKey: "", content: ["users": [owner.rawValue: 100]]),
                    EventIntent(sender: owner, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
                ]
                if let acl { intents.append(EventIntent(sender: owner, type: "m.room.server_acl", stateKey: "", content: acl)) }
                return try await writer.write(WriteUnit(target: .new(.v10), intents: intents))[0].roomID
            }
            func add(_ child: RoomID, to space: RoomID) async throws {
                _ = try await writer.write(WriteUnit(target: .existing(space), intents: [
                    EventIntent(sender: owner, type: "m.space.child", stateKey: child.rawValue, content: ["via": ["acl.test"]]),
                ]))
            }
            let denying: JSONValue = ["allow": ["*"], "deny": ["evil.test"]]
            let space = try await room(space: true)
            let open = try await room(space: false)
            let fenced = try await room(space: false, acl: denying)
            try await add(open, to: space)
            try await add(fenced, to: space)
            let answers = FederationHierarchyAnswers(hierarchy: SpaceHierarchy(database: database, store: store, serverName: server), store: store)

            let evil = try await answers.answer(for: space, origin: try ServerName("evil.test"), suggestedOnly: false)
            #expect((evil["children"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue } == [open.rawValue])
            #expect(evil["inaccessible_children"] == [.string(fenced.rawValue)])
            let good = try await answers.answer(for: space, origin: try ServerName("good.test"), suggestedOnly: false)
            #expect((good["children"]?.arrayValue ?? []).count == 2 && good["inaccessible_children"] == [])

            let refused = await #expect(throws: SpacesError.self) {
                try await answers.answer(for: fenced, origin: try ServerName("evil.test"), suggestedOnly: false)
            }
            #expect(refused?.clientError.status == 403 && refused?.clientError.code == .forbidden)
        }
    }
}
