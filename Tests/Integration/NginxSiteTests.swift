import AxonTesting
import Foundation
import Testing

/// The shipped nginx sites are what the route table generates, and nginx accepts them.
@Suite struct NginxSiteTests {
    static let nginxDirectory = TestEnvironment.packageRoot.appendingPathComponent("nginx")
    static let sites = ["axon-monolith.conf", "axon-workers.conf"]

    @Test func theShippedSitesAreWhatTheRouteTableGenerates() async throws {
        let out = try TestEnvironment.temporaryDirectory("axon-nginx-sites")
        let generated = try await ChildProcess.run(
            "/bin/bash", [Self.nginxDirectory.appendingPathComponent("generate.sh").path, TestEnvironment.binaryDirectory.appendingPathComponent("axon").path, out.path]
        )
        #expect(generated.status == 0, "\(generated.output)")
        for site in Self.sites {
            let shipped = try String(contentsOf: Self.nginxDirectory.appendingPathComponent(site), encoding: .utf8)
            let fresh = try String(contentsOf: out.appendingPathComponent(site), encoding: .utf8)
            #expect(shipped == fresh, "nginx/\(site) differs from the generator's output; run make nginx-sites")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: WorkerCluster.nginx), "needs nginx (make test-deps installs it)"))
    func nginxAcceptsTheShippedSitesOnceCertbotAddsCertificates() async throws {
        let dir = try TestEnvironment.temporaryDirectory("axon-nginx-check")
        let certificate = dir.appendingPathComponent("cert.pem").path
        let key = dir.appendingPathComponent("key.pem").path
        let made = try await ChildProcess.run(
            "/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=example.org", "-keyout", key, "-out", certificate]
        )
        #expect(made.status == 0, "\(made.output)")
        for site in Self.sites {
            let shipped = try String(contentsOf: Self.nginxDirectory.appendingPathComponent(site), encoding: .utf8)
            let marker = "    # certbot --nginx -d example.org adds ssl_certificate and ssl_certificate_key here."
            #expect(shipped.contains(marker))
            let withCertificates = shipped.replacingOccurrences(
                of: marker, with: "    ssl_certificate \(certificate);\n    ssl_certificate_key \(key);"
            )
            let config = try WorkerCluster.writeNginxConfig(site: withCertificates, in: dir)
            let checked = try await ChildProcess.run(WorkerCluster.nginx, ["-t", "-c", config, "-e", "stderr"])
            #expect(checked.status == 0, "nginx -t on \(site): \(checked.output)")
        }
    }
}
