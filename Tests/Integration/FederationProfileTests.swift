import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The first federation exchanges with a real Synapse, over TLS on loopback with a test CA: each side's users read
/// the other side's profiles, so each server resolves the other's name, signs its request, and checks the other's
/// signature against the keys it fetches from it.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationProfileTests {
    @Test func usersOnAxonAndSynapseReadEachOthersProfilesOverFederation() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            try await alice.ok("PUT", "/profile/\(SuiteClient.escape(alice.userID))/displayname", ["displayname": "Alice on Axon"])
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let profile = try await bob.ok("GET", "/profile/\(SuiteClient.escape(alice.userID))")
                #expect(profile["displayname"] == "Alice on Axon", "\(profile)")
                let missing = try await bob.call("GET", "/profile/\(SuiteClient.escape("@nobody:\(axon.serverName)"))")
                #expect(missing.status == 404, "\(missing)")

                try await bob.ok("PUT", "/profile/\(SuiteClient.escape(bob.userID))/displayname", ["displayname": "Bob on Synapse"])
                let bobsProfile = try await alice.ok("GET", "/profile/\(SuiteClient.escape(bob.userID))")
                #expect(bobsProfile["displayname"] == "Bob on Synapse", "\(bobsProfile)")
                let bobsName = try await alice.ok("GET", "/profile/\(SuiteClient.escape(bob.userID))/displayname")
                #expect(bobsName == ["displayname": "Bob on Synapse"])
                let nobody = try await alice.call("GET", "/profile/\(SuiteClient.escape("@nobody:\(synapse.serverName)"))")
                #expect(nobody.status == 404 && nobody.json["errcode"] == "M_NOT_FOUND", "\(nobody)")
                let unreachable = try await alice.call("GET", "/profile/\(SuiteClient.escape("@nobody:127.0.0.1:1"))")
                #expect(unreachable.status == 502, "a server that does not answer: \(unreachable)")
            }
        }
    }

    /// What a server that does not sign gets: the handler never runs.
    @Test func anUnsignedOrForgedFederationRequestIsRefused() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let url = "\(axon.federationURL)/_matrix/federation/v1/query/profile?user_id=\(SuiteClient.escape(alice.userID))"
            let unsigned = try await TestHTTPS.get(url, headers: [:], trusting: ca.certificatePath)
            #expect(unsigned.status == 401 && unsigned.body.contains("M_UNAUTHORIZED"), "\(unsigned)")
            let forged = try await TestHTTPS.get(
                url, headers: ["Authorization": #"X-Matrix origin="127.0.0.1:1",destination="\#(axon.serverName)",key="ed25519:x",sig="AAAA""#],
                trusting: ca.certificatePath
            )
            #expect(forged.status == 401 && forged.body.contains("M_UNAUTHORIZED"), "a key that cannot be fetched: \(forged)")
            let elsewhere = try await TestHTTPS.get(
                url, headers: ["Authorization": #"X-Matrix origin="127.0.0.1:1",destination="other.example",key="ed25519:x",sig="AAAA""#],
                trusting: ca.certificatePath
            )
            #expect(elsewhere.status == 401, "a request for another server: \(elsewhere)")
        }
    }
}
