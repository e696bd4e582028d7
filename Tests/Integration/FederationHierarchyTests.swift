import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Space hierarchies across servers, against a real Synapse: an Axon user walks a Synapse space whose sub-space only
/// Synapse is in (its rooms from Synapse's `/_matrix/federation/v1/hierarchy`, her own room read here), and a Synapse
/// user walks a space held on Axon whose sub-space only Axon is in (Axon answering Synapse's `/hierarchy`, its private
/// room left out).
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationHierarchyTests {
    static func hierarchy(_ user: SuiteClient, _ room: String, _ query: String = "") async throws -> SuiteClient.Reply {
        try await SuiteClient.raw(
            "GET", user.baseURL + "/_matrix/client/v1/rooms/\(SuiteClient.escape(room))/hierarchy" + query, body: nil, token: user.accessToken
        )
    }

    static func rooms(_ reply: SuiteClient.Reply) -> [String] {
        (reply.json["rooms"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue }
    }

    static func create(_ user: SuiteClient, _ name: String, space: Bool = false, preset: String = "public_chat") async throws -> String {
        var body: JSONObject = ["preset": .string(preset), "name": .string(name)]
        if space { body["creation_content"] = ["type": "m.space"] }
        return try #require(try await user.ok("POST", "/createRoom", .object(body))["room_id"]?.stringValue)
    }

    static func add(_ child: String, to parent: String, via server: String, order: String, by user: SuiteClient) async throws {
        try await user.ok(
            "PUT", "/rooms/\(SuiteClient.escape(parent))/state/m.space.child/\(SuiteClient.escape(child))",
            ["via": [.string(server)], "order": .string(order)]
        )
    }

    @Test func eachSideWalksTheOthersSpaces() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let axonRoom = try await Self.create(alice, "Axon room")
            let wing = try await Self.create(alice, "Axon wing", space: true)
            let open = try await Self.create(alice, "Axon open")
            let closed = try await Self.create(alice, "Axon closed", preset: "private_chat")
            try await Self.add(open, to: wing, via: axon.serverName, order: "a", by: alice)
            try await Self.add(closed, to: wing, via: axon.serverName, order: "b", by: alice)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)

                // A space on Synapse with a sub-space only Synapse is in, holding Alice's room and one of Synapse's.
                let synapseSpace = try await Self.create(bob, "Synapse space", space: true)
                let synapseWing = try await Self.create(bob, "Synapse wing", space: true)
                let synapseRoom = try await Self.create(bob, "Synapse room")
                try await Self.add(synapseWing, to: synapseSpace, via: synapse.serverName, order: "a", by: bob)
                try await Self.add(axonRoom, to: synapseWing, via: axon.serverName, order: "a", by: bob)
                try await Self.add(synapseRoom, to: synapseWing, via: synapse.serverName, order: "b", by: bob)
                // Synapse's rooms (version 12) name no server: a root Axon is not in cannot be asked for.
                let unreachable = try await Self.hierarchy(alice, synapseWing)
                #expect(unreachable.status == 403 && unreachable.errcode == "M_FORBIDDEN", "\(unreachable)")
                let aliceJoined = try await alice.call(
                    "POST", "/join/\(SuiteClient.escape(synapseSpace))?server_name=\(SuiteClient.escape(synapse.serverName))", [:]
                )
                #expect(aliceJoined.status == 200, "\(aliceJoined)")
                // The wing comes from Synapse's /hierarchy, Synapse's room from the wing's answer, Alice's room from here.
                let walked = try await Self.hierarchy(alice, synapseSpace)
                #expect(walked.status == 200, "\(walked)")
                #expect(Self.rooms(walked) == [synapseSpace, synapseWing, axonRoom, synapseRoom], "\(walked)")
                let names = (walked.json["rooms"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
                #expect(names == ["Synapse space", "Synapse wing", "Axon room", "Synapse room"], "\(walked)")
                let listed = (walked.json["rooms"]?[1]?["children_state"]?.arrayValue ?? []).compactMap { $0["state_key"]?.stringValue }
                #expect(listed == [axonRoom, synapseRoom], "\(walked)")
                let paged = try await Self.hierarchy(alice, synapseSpace, "?limit=1")
                #expect(Self.rooms(paged) == [synapseSpace] && paged.json["next_batch"]?.stringValue != nil, "\(paged)")
                let rest = try await Self.hierarchy(alice, synapseSpace, "?limit=10&from=\(SuiteClient.escape(paged.json["next_batch"]?.stringValue ?? ""))")
                #expect(Self.rooms(rest) == [synapseWing, axonRoom, synapseRoom], "\(rest)")

                // A space held on Axon, joined by Bob, with a sub-space only Axon is in.
                let axonSpace = try await Self.create(alice, "Axon space", space: true)
                try await Self.add(synapseRoom, to: axonSpace, via: synapse.serverName, order: "a", by: alice)
                try await Self.add(wing, to: axonSpace, via: axon.serverName, order: "b", by: alice)
                let joined = try await bob.call("POST", "/join/\(SuiteClient.escape(axonSpace))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                #expect(joined.status == 200, "\(joined)")
                var seen = SuiteClient.Reply(status: 0, json: .null)
                try await ClientReaderTests.eventually("Synapse walks Axon's space") {
                    seen = try await Self.hierarchy(bob, axonSpace)
                    return Self.rooms(seen) == [axonSpace, synapseRoom, wing, open]
                }
                #expect(!Self.rooms(seen).contains(closed), "\(seen)")
                let wingEntry = (seen.json["rooms"]?.arrayValue ?? []).first { $0["room_id"]?.stringValue == wing }
                #expect(wingEntry?["name"] == "Axon wing" && wingEntry?["room_type"] == "m.space", "\(seen)")

                // Alice walks the same space from Axon: Synapse's room is summarised by Synapse.
                let fromAxon = try await Self.hierarchy(alice, axonSpace)
                #expect(Self.rooms(fromAxon) == [axonSpace, synapseRoom, wing, open, closed], "\(fromAxon)")
            }
        }
    }
}
