import AxonTesting
import Foundation
import MatrixCrypto
import MatrixTypes
import Testing

/// Room directories across servers, against a real Synapse: each side lists and searches the other's public rooms
/// (`/publicRooms?server=`) and resolves the other's aliases.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationDirectoryTests {
    static func roomIDs(_ page: JSONValue) -> [String] {
        (page["chunk"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue }
    }

    @Test func eachSideListsSearchesAndResolvesTheOthersPublicRooms() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let axonRoom = try #require(try await alice.ok("POST", "/createRoom", [
                "preset": "public_chat", "visibility": "public", "room_alias_name": "axonroom", "name": "Axon meeting point",
            ])["room_id"]?.stringValue)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let synapseRoom = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "public_chat", "visibility": "public", "room_alias_name": "synroom", "name": "Synapse lobby",
                ])["room_id"]?.stringValue)

                let fromSynapse = try await bob.ok("GET", "/publicRooms?server=\(SuiteClient.escape(axon.serverName))")
                #expect(Self.roomIDs(fromSynapse) == [axonRoom], "\(fromSynapse)")
                let searched = try await bob.ok("POST", "/publicRooms?server=\(SuiteClient.escape(axon.serverName))", [
                    "filter": ["generic_search_term": "meeting"],
                ])
                #expect(Self.roomIDs(searched) == [axonRoom], "\(searched)")
                let missed = try await bob.ok("POST", "/publicRooms?server=\(SuiteClient.escape(axon.serverName))", [
                    "filter": ["generic_search_term": "no such words"],
                ])
                #expect(Self.roomIDs(missed).isEmpty, "\(missed)")

                let fromAxon = try await alice.ok("GET", "/publicRooms?server=\(SuiteClient.escape(synapse.serverName))")
                #expect(Self.roomIDs(fromAxon) == [synapseRoom], "\(fromAxon)")
                let searchedFromAxon = try await alice.ok("POST", "/publicRooms?server=\(SuiteClient.escape(synapse.serverName))", [
                    "filter": ["generic_search_term": "lobby"],
                ])
                #expect(Self.roomIDs(searchedFromAxon) == [synapseRoom], "\(searchedFromAxon)")

                let axonAlias = try await bob.ok("GET", "/directory/room/\(SuiteClient.escape("#axonroom:\(axon.serverName)"))")
                #expect(axonAlias["room_id"]?.stringValue == axonRoom, "\(axonAlias)")
                let synapseAlias = try await alice.ok("GET", "/directory/room/\(SuiteClient.escape("#synroom:\(synapse.serverName)"))")
                #expect(synapseAlias["room_id"]?.stringValue == synapseRoom, "\(synapseAlias)")
                #expect(synapseAlias["servers"]?.arrayValue?.contains(.string(synapse.serverName)) == true, "\(synapseAlias)")
                let unknown = try await alice.call("GET", "/directory/room/\(SuiteClient.escape("#nothing:\(synapse.serverName)"))")
                #expect(unknown.status == 404 && unknown.json["errcode"] == "M_NOT_FOUND", "\(unknown)")

                try await Self.axonVouchesForKeys(axon: axon, synapse: synapse, ca: ca)
            }
        }
    }

    /// As a notary, Axon answers Synapse's key document (which it fetched for checking Synapse's requests) and its own,
    /// each signed by its server and countersigned by Axon.
    static func axonVouchesForKeys(axon: FederationPeers.Peer, synapse: FederationPeers.Peer, ca: TestCertificateAuthority) async throws {
        let own = try await TestHTTPS.get("\(axon.federationURL)/_matrix/key/v2/server", headers: [:], trusting: ca.certificatePath)
        let axonDocument = try JSONValue.parse(own.body)
        let axonKeyID = try #require(axonDocument["verify_keys"]?.objectValue?.keys.first)
        let axonKey = try VerifyKey(keyID: axonKeyID, base64: try #require(axonDocument["verify_keys"]?[axonKeyID]?["key"]?.stringValue))
        for server in [synapse.serverName, axon.serverName] {
            let reply = try await TestHTTPS.get(
                "\(axon.federationURL)/_matrix/key/v2/query/\(SuiteClient.escape(server))", headers: [:], trusting: ca.certificatePath
            )
            #expect(reply.status == 200, "\(reply)")
            let documents = try JSONValue.parse(reply.body)["server_keys"]?.arrayValue ?? []
            let document = try #require(documents.first, "\(reply)")
            #expect(documents.count == 1 && document["server_name"]?.stringValue == server)
            try axonKey.verify(json: document, signedBy: axon.serverName)
            let keyID = try #require(document["verify_keys"]?.objectValue?.keys.first)
            let key = try VerifyKey(keyID: keyID, base64: try #require(document["verify_keys"]?[keyID]?["key"]?.stringValue))
            try key.verify(json: document, signedBy: server)
        }
    }
}
