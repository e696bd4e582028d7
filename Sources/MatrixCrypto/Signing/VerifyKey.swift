import CSodium
import MatrixTypes

/// A public Ed25519 key with the key ID it is published under (ours, or a remote server's).
public struct VerifyKey: Sendable, Hashable {
    public let keyID: String
    /// The 32 raw bytes; any 32 bytes are a key, and verification refuses the ones libsodium refuses.
    public let publicKeyBytes: [UInt8]

    /// A key from its 32 raw bytes.
    public init(keyID: String, publicKeyBytes: some Collection<UInt8>) throws(VerifyKeyError) {
        let bytes = Array(publicKeyBytes)
        guard bytes.count == Int(crypto_sign_PUBLICKEYBYTES) else { throw .invalidPublicKey(keyID: keyID) }
        self.init(keyID: keyID, checkedBytes: bytes)
    }

    /// A key whose length is already known to be right (our own, derived from a signing key).
    init(keyID: String, checkedBytes: [UInt8]) {
        self.keyID = keyID
        publicKeyBytes = checkedBytes
    }

    /// A key as published in `verify_keys`: unpadded base64 of the 32 raw bytes.
    public init(keyID: String, base64: String) throws(VerifyKeyError) {
        guard let bytes = UnpaddedBase64.decode(base64) else { throw .invalidPublicKey(keyID: keyID) }
        try self.init(keyID: keyID, publicKeyBytes: bytes)
    }

    /// Unpadded base64 of the public key, the form served at `/_matrix/key/v2/server`.
    public var base64: String { UnpaddedBase64.encode(publicKeyBytes) }

    /// Verifies with libsodium's `crypto_sign_verify_detached`, as Synapse does (through PyNaCl): it refuses
    /// small-order and non-canonical keys, small-order `R` and non-canonical `S`, which other Ed25519 libraries
    /// accept. Servers that disagree on a signature split rooms, so the exact rule matters more than the algebra.
    /// A fast CPU-only call, fine to make inline.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == Int(crypto_sign_BYTES), Self.sodiumReady else { return false }
        return crypto_sign_verify_detached(signature, message, UInt64(message.count), publicKeyBytes) == 0
    }

    /// Key IDs come from other servers, so they compare by bytes, not by Swift's canonical equivalence.
    public static func == (lhs: VerifyKey, rhs: VerifyKey) -> Bool {
        lhs.keyID.hasSameBytes(as: rhs.keyID) && lhs.publicKeyBytes == rhs.publicKeyBytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(Array(keyID.utf8))
        hasher.combine(publicKeyBytes)
    }

    /// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
    private static let sodiumReady: Bool = sodium_init() >= 0
}

public enum VerifyKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPublicKey(keyID: String)

    public var description: String {
        switch self {
        case .invalidPublicKey(let keyID): "Key \(keyID) is not an unpadded base64 Ed25519 public key"
        }
    }
}
