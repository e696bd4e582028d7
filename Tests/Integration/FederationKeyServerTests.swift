import AxonTesting
import Foundation
import MatrixCrypto
import MatrixTypes
import Testing

/// The key and version endpoints other servers call first, on a real `axon` process: served on a federation
/// listener (not on a client-only one), signed with the configured key, listing `old_signing_keys`.
@Suite struct FederationKeyServerTests {
    @Test func theFederationListenerServesTheSignedKeysAndTheVersion() async throws {
        let fixture = try await AccountServerFixture.make()
        let federationPort = try await FreePort.next()
        let retired = try SigningKey.generate(version: "old1")
        let extra = fixture.directory.appendingPathComponent("federation-\(federationPort).yaml").path
        try """
            listeners:
              - {port: \(fixture.port), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
              - {port: \(federationPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [federation]}]}
            key_refresh_interval: 2h
            old_signing_keys:
              "ed25519:old1": {key: "\(retired.verifyKey.base64)", expired_ts: 1600000000000}
            """.write(toFile: extra, atomically: true, encoding: .utf8)
        let server = try ServerProcess(executable: "axon", arguments: ["-c", fixture.configPath, "-c", extra], baseURL: fixture.baseURL)
        try await server.whileRunning {
            try await server.waitUntilHealthy()
            let key = try #require(
                try SigningKey.parseKeyFile(String(contentsOfFile: fixture.directory.appendingPathComponent("signing.key").path, encoding: .utf8)).first
            )
            let federation = "http://127.0.0.1:\(federationPort)"
            for path in ["/_matrix/key/v2/server", "/_matrix/key/v2/server/\(key.keyID)"] {
                let started = currentMilliseconds()
                let reply = try await TestHTTP.request("GET", federation + path)
                #expect(reply.status == 200, "\(reply.body)")
                let document = try JSONValue.parse(reply.body)
                try key.verifyKey.verify(json: document, signedBy: "accounts.test")
                #expect(document["server_name"] == "accounts.test")
                #expect(document["verify_keys"]?[key.keyID]?["key"]?.stringValue == key.verifyKey.base64)
                #expect(document["old_verify_keys"]?["ed25519:old1"] == ["key": .string(retired.verifyKey.base64), "expired_ts": 1_600_000_000_000])
                let validUntil = try #require(document["valid_until_ts"]?.integerValue)
                #expect(validUntil >= started + 7_200_000 && validUntil <= currentMilliseconds() + 7_200_000, "valid for key_refresh_interval")
            }
            let version = try JSONValue.parse(try await TestHTTP.request("GET", federation + "/_matrix/federation/v1/version").body)
            #expect(version["server"]?["name"] == "Axon" && version["server"]?["version"]?.stringValue != nil)
            let onClient = try await TestHTTP.request("GET", fixture.baseURL + "/_matrix/key/v2/server")
            #expect(onClient.status == 404 && onClient.body.contains("M_UNRECOGNIZED"), "a client-only listener serves no keys")
        }
    }

    @Test func aMalformedOldSigningKeyStopsTheServerWithTheKeyNamed() async throws {
        let fixture = try await AccountServerFixture.make()
        let extra = fixture.directory.appendingPathComponent("bad-old-key.yaml").path
        try """
            old_signing_keys:
              "ed25519:old1": {key: "not base64!", expired_ts: 1600000000000}
            """.write(toFile: extra, atomically: true, encoding: .utf8)
        let run = try await ServerProcess.runToCompletion("axon", ["-c", fixture.configPath, "-c", extra])
        #expect(run.status != 0)
        #expect(run.output.contains("old_signing_keys.ed25519:old1"), "\(run.output)")
    }
}

/// Listeners with `tls: true` serve TLS from `tls_certificate_path` and `tls_private_key_path`, as Synapse's do, so
/// Axon can answer 8448 without nginx.
@Suite struct TLSListenerTests {
    @Test func aTLSListenerServesWithTheConfiguredCertificate() async throws {
        let ca = try await TestCertificateAuthority.make()
        let (certificate, key) = try await ca.serverCertificate(for: ["127.0.0.1", "accounts.test"])
        let fixture = try await AccountServerFixture.make()
        let tlsPort = try await FreePort.next()
        let extra = fixture.directory.appendingPathComponent("tls-\(tlsPort).yaml").path
        try """
            listeners:
              - {port: \(fixture.port), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
              - {port: \(tlsPort), bind_addresses: ['127.0.0.1'], type: http, tls: true, resources: [{names: [federation]}]}
            tls_certificate_path: \(certificate)
            tls_private_key_path: \(key)
            """.write(toFile: extra, atomically: true, encoding: .utf8)
        let server = try ServerProcess(executable: "axon", arguments: ["-c", fixture.configPath, "-c", extra], baseURL: fixture.baseURL)
        try await server.whileRunning {
            try await server.waitUntilHealthy()
            let fetched = try await TestHTTPS.get("https://127.0.0.1:\(tlsPort)/_matrix/key/v2/server", trusting: ca.certificatePath)
            #expect(fetched.status == 200, "\(fetched.body)")
            #expect(try JSONValue.parse(fetched.body)["server_name"] == "accounts.test")
            let untrusted = try await TestHTTPS.get("https://127.0.0.1:\(tlsPort)/_matrix/key/v2/server", trusting: certificate)
            #expect(untrusted.status != 200, "a client not trusting the CA refuses the certificate")
        }
    }

    @Test func aTLSListenerWithoutCertificateOrWithAnUnreadableOneStopsTheServer() async throws {
        let fixture = try await AccountServerFixture.make()
        let missing = fixture.directory.appendingPathComponent("no-certificate.yaml").path
        try """
            listeners:
              - {port: \(fixture.port), bind_addresses: ['127.0.0.1'], type: http, tls: true, resources: [{names: [client]}]}
            """.write(toFile: missing, atomically: true, encoding: .utf8)
        let withoutPaths = try await ServerProcess.runToCompletion("axon", ["-c", fixture.configPath, "-c", missing])
        #expect(withoutPaths.status != 0 && withoutPaths.output.contains("tls_certificate_path"), "\(withoutPaths.output)")

        let unreadable = fixture.directory.appendingPathComponent("unreadable-certificate.yaml").path
        try """
            listeners:
              - {port: \(fixture.port), bind_addresses: ['127.0.0.1'], type: http, tls: true, resources: [{names: [client]}]}
            tls_certificate_path: \(fixture.directory.path)/absent.pem
            tls_private_key_path: \(fixture.directory.path)/absent.key
            """.write(toFile: unreadable, atomically: true, encoding: .utf8)
        let badFile = try await ServerProcess.runToCompletion("axon", ["-c", fixture.configPath, "-c", unreadable])
        #expect(badFile.status != 0 && badFile.output.contains("absent.pem"), "\(badFile.output)")
    }
}
