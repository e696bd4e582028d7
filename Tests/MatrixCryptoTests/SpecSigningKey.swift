import MatrixCrypto

/// The key of the appendix's "Cryptographic Test Vectors": server `domain`, key ID `ed25519:1`.
enum SpecSigningKey {
    static let seedBase64 = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"
    static let serverName = "domain"

    static func key() throws -> SigningKey {
        try SigningKey(seed: UnpaddedBase64.decode(seedBase64)!, version: "1")
    }
}
