import AxonConfig
import NIOSSL

/// The certificate chain and key listeners with `tls: true` present (`tls_certificate_path`, `tls_private_key_path`),
/// read once at startup so a missing or unreadable file stops the process with its name instead of failing each
/// handshake.
struct ListenerTLS: Sendable {
    let configuration: TLSConfiguration

    static func load(_ server: ServerConfig, listener index: Int) throws(StartupError) -> ListenerTLS {
        guard let certificatePath = server.tlsCertificatePath, let keyPath = server.tlsPrivateKeyPath else {
            throw StartupError("listeners[\(index)].tls: set tls_certificate_path and tls_private_key_path (PEM files) for TLS listeners.")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw StartupError("tls_certificate_path: cannot read a PEM certificate chain from \(certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw StartupError("tls_certificate_path: \(certificatePath) holds no certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw StartupError("tls_private_key_path: cannot read a PEM private key from \(keyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return ListenerTLS(configuration: configuration)
    }
}
