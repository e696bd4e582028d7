import Foundation

/// A certificate authority made for one test run with openssl, and server certificates it signs: what federation
/// peers on loopback present to each other, trusted through `federation_custom_ca_list` (or the client's CA file).
public struct TestCertificateAuthority: Sendable {
    public let directory: URL
    /// The CA's certificate (PEM), what clients trust.
    public let certificatePath: String
    private let keyPath: String

    public static func make() async throws -> TestCertificateAuthority {
        let directory = try TestEnvironment.temporaryDirectory("axon-test-ca")
        let certificate = directory.appendingPathComponent("ca.pem").path
        let key = directory.appendingPathComponent("ca.key").path
        try await run([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=Axon test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", key, "-out", certificate,
        ])
        return TestCertificateAuthority(directory: directory, certificatePath: certificate, keyPath: key)
    }

    /// A server certificate and its key (PEM paths) for `names`: DNS names and IP addresses, each a subject
    /// alternative name.
    public func serverCertificate(for names: [String]) async throws -> (certificate: String, key: String) {
        let stem = directory.appendingPathComponent("server-\(UUID().uuidString.prefix(8))").path
        let alternatives = names.map { name in
            name.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) ? "IP:\(name)" : "DNS:\(name)"
        }.joined(separator: ",")
        try "subjectAltName=\(alternatives)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".write(
            toFile: stem + ".ext", atomically: true, encoding: .utf8
        )
        try await Self.run([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=\(names[0])",
            "-keyout", stem + ".key", "-out", stem + ".csr",
        ])
        try await Self.run([
            "x509", "-req", "-in", stem + ".csr", "-CA", certificatePath, "-CAkey", keyPath, "-CAcreateserial", "-days", "2",
            "-extfile", stem + ".ext", "-out", stem + ".pem",
        ])
        return (stem + ".pem", stem + ".key")
    }

    private static func run(_ arguments: [String]) async throws {
        let result = try await ChildProcess.run("/usr/bin/openssl", arguments)
        guard result.status == 0 else { throw ServerProcess.ProcessFailure(description: "openssl \(arguments[0]): \(result.output)") }
    }
}
