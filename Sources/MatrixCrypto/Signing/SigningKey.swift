import Crypto
import Foundation

/// A server's Ed25519 signing key, identified to other servers by its key ID (`ed25519:<version>`).
public struct SigningKey: Sendable {
    /// The only signing algorithm Matrix servers use.
    public static let algorithm = "ed25519"

    /// The part of the key ID after the algorithm; letters, digits and `_` only.
    public let version: String
    private let privateKey: Curve25519.Signing.PrivateKey

    /// Builds a key from its 32-byte seed, the form Synapse stores on disk.
    public init(seed: some Collection<UInt8>, version: String) throws(SigningKeyError) {
        guard Self.isValidVersion(version) else { throw .invalidVersion(version) }
        let seed = Array(seed)
        guard seed.count == 32 else { throw .invalidSeedLength(seed.count) }
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        } catch {
            throw .invalidSeedLength(seed.count)
        }
        self.version = version
    }

    private init(privateKey: Curve25519.Signing.PrivateKey, version: String) {
        self.privateKey = privateKey
        self.version = version
    }

    /// A fresh random key; without a version, one in Synapse's style (`a_` and four random letters or digits).
    public static func generate(version: String? = nil) throws(SigningKeyError) -> SigningKey {
        let version = version ?? randomVersion()
        guard isValidVersion(version) else { throw .invalidVersion(version) }
        return SigningKey(privateKey: Curve25519.Signing.PrivateKey(), version: version)
    }

    /// `a_` followed by four random alphanumerics, as Synapse names the keys it generates.
    public static func randomVersion() -> String {
        let alphanumerics = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "a_" + String((0 ..< 4).map { _ in alphanumerics.randomElement()! })
    }

    /// Key versions may only use `[a-zA-Z0-9_]` (server-server API, `verify_keys`).
    public static func isValidVersion(_ version: String) -> Bool {
        !version.isEmpty && version.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// `ed25519:<version>`, the name signatures and published keys are filed under.
    public var keyID: String { "\(Self.algorithm):\(version)" }

    /// The 32-byte seed the key is derived from; secret.
    public var seed: [UInt8] { Array(privateKey.rawRepresentation) }

    /// The public half, as other servers will use it to check our signatures.
    public var verifyKey: VerifyKey {
        VerifyKey(keyID: keyID, checkedBytes: Array(privateKey.publicKey.rawRepresentation))
    }

    /// The raw 64-byte Ed25519 signature of `message`.
    public func signature(for message: [UInt8]) -> [UInt8] {
        do {
            return Array(try privateKey.signature(for: message))
        } catch {
            // Ed25519 signing with a well-formed key has no failure mode; an error here means the crypto library is broken.
            fatalError("Ed25519 signing failed: \(error)")
        }
    }
}

public enum SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidSeedLength(Int)
    case invalidVersion(String)

    public var description: String {
        switch self {
        case .invalidSeedLength(let count): "An Ed25519 seed is 32 bytes, not \(count)"
        case .invalidVersion(let version): "Key version '\(version)' must be non-empty and use only [a-zA-Z0-9_]"
        }
    }
}
