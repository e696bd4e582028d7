import Crypto
import Foundation

/// A public Ed25519 key with the key ID it is published under (ours, or a remote server's).
public struct VerifyKey: Sendable, Hashable {
    public let keyID: String
    private let publicKey: Curve25519.Signing.PublicKey

    init(keyID: String, publicKey: Curve25519.Signing.PublicKey) {
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// A key from its 32 raw bytes.
    public init(keyID: String, publicKeyBytes: some Collection<UInt8>) throws(VerifyKeyError) {
        let bytes = Array(publicKeyBytes)
        guard bytes.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) else {
            throw .invalidPublicKey(keyID: keyID)
        }
        self.init(keyID: keyID, publicKey: key)
    }

    /// A key as published in `verify_keys`: unpadded base64 of the 32 raw bytes.
    public init(keyID: String, base64: String) throws(VerifyKeyError) {
        guard let bytes = UnpaddedBase64.decode(base64) else { throw .invalidPublicKey(keyID: keyID) }
        try self.init(keyID: keyID, publicKeyBytes: bytes)
    }

    public var publicKeyBytes: [UInt8] { Array(publicKey.rawRepresentation) }

    /// Unpadded base64 of the public key, the form served at `/_matrix/key/v2/server`.
    public var base64: String { UnpaddedBase64.encode(publicKeyBytes) }

    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        signature.count == 64 && publicKey.isValidSignature(signature, for: message)
    }

    public static func == (lhs: VerifyKey, rhs: VerifyKey) -> Bool {
        lhs.keyID == rhs.keyID && lhs.publicKeyBytes == rhs.publicKeyBytes
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keyID)
        hasher.combine(publicKeyBytes)
    }
}

public enum VerifyKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPublicKey(keyID: String)

    public var description: String {
        switch self {
        case .invalidPublicKey(let keyID): "Key \(keyID) is not an unpadded base64 Ed25519 public key"
        }
    }
}
