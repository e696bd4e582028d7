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
            let unsigned = try await Self.status(url, headers: [:], trusting: ca.certificatePath)
            #expect(unsigned.status == 401 && unsigned.body.contains("M_UNAUTHORIZED"), "\(unsigned)")
            let forged = try await Self.status(
                url, headers: ["Authorization": #"X-Matrix origin="127.0.0.1:1",destination="\#(axon.serverName)",key="ed25519:x",sig="AAAA""#],
                trusting: ca.certificatePath
            )
            #expect(forged.status == 401 && forged.body.contains("M_UNAUTHORIZED"), "a key that cannot be fetched: \(forged)")
            let elsewhere = try await Self.status(
                url, headers: ["Authorization": #"X-Matrix origin="127.0.0.1:1",destination="other.example",key="ed25519:x",sig="AAAA""#],
                trusting: ca.certificatePath
            )
            #expect(elsewhere.status == 401, "a request for another server: \(elsewhere)")
        }
    }

    /// The status and body of a GET over HTTPS trusting only `ca` (Debian's Python).
    static func status(_ url: String, headers: [String: String], trusting ca: String) async throws -> (status: Int, body: String) {
        let headerJSON = String(decoding: try JSONValue.object(JSONObject(uniqueKeysWithValues: headers.map { ($0.key, JSONValue.string($0.value)) })).encoded(), as: UTF8.self)
        let result = try await ChildProcess.run("/usr/bin/python3", [
            "-c",
            """
            import json, ssl, sys, urllib.error, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            request = urllib.request.Request(sys.argv[1], headers=json.loads(sys.argv[3]))
            try:
                response = urllib.request.urlopen(request, context=context)
                print(response.status, response.read().decode())
            except urllib.error.HTTPError as error:
                print(error.code, error.read().decode())
            """,
            url, ca, headerJSON,
        ])
        let output = result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = Int(output.prefix { $0 != " " }) ?? 0
        return (status, String(output.drop { $0 != " " }.dropFirst()))
    }
}
