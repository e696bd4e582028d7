import MatrixCrypto
import MatrixTypes

/// Fixed identities for event DAGs: users on distinct servers, and one signing key (the spec's test vector key,
/// `ed25519:1`) that every server signs with, so event IDs and signatures are the same on every run.
public enum EventDAGUsers {
    public static let alice = user("@alice:a.example")
    public static let bob = user("@bob:b.example")
    public static let carol = user("@carol:c.example")
    public static let dave = user("@dave:a.example")
    public static let erin = user("@erin:e.example")
    public static let mallory = user("@mallory:m.example")

    /// The appendix's test signing key seed.
    public static let signingKeySeed = "YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1"

    public static let signingKey: SigningKey = {
        guard let seed = UnpaddedBase64.decode(signingKeySeed), let key = try? SigningKey(seed: seed, version: "1") else {
            preconditionFailure("the spec's test seed is a valid Ed25519 seed")
        }
        return key
    }()

    private static func user(_ text: String) -> UserID {
        guard let user = try? UserID(text) else { preconditionFailure("\(text) is a valid user ID") }
        return user
    }
}
