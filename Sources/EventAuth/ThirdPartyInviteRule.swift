import MatrixCrypto
import MatrixTypes

/// An invite made good by a third-party invite: the invitee proves, with a signature from the identity server
/// whose public key the room's `m.room.third_party_invite` event holds, that the invite was meant for them.
enum ThirdPartyInviteRule {
    static func check(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let event = context.event
        guard let signed = event.content["third_party_invite"]?["signed"], case .object = signed else {
            throw AuthorizationError("third_party_invite has no signed object")
        }
        guard let mxid = signed["mxid"], let token = signed["token"], signed["signatures"] != nil else {
            throw AuthorizationError("third_party_invite.signed needs mxid, token and signatures")
        }
        guard let tokenText = token.stringValue,
              let invite = context.state[StateKey(EventType.thirdPartyInvite, tokenText)]
        else { throw AuthorizationError("No m.room.third_party_invite for the token") }
        guard invite.sender == event.sender else {
            throw AuthorizationError("\(event.sender) did not send the m.room.third_party_invite")
        }
        guard mxid.stringValue?.hasSameBytes(as: target) == true else {
            throw AuthorizationError("third_party_invite.signed.mxid is not \(target)")
        }
        guard try isSigned(signed, byAnyKeyOf: invite) else {
            throw AuthorizationError("No signature in third_party_invite.signed matches the invite's public keys")
        }
    }

    /// The invite's public keys as Synapse lists them: `public_key`, then each element of `public_keys`. An element
    /// that is not an object with a `public_key` is `nil`: Synapse fails on it when it gets that far, refusing the
    /// event. A `public_keys` that cannot be iterated fails at once.
    private static func publicKeys(of invite: PDU) throws(AuthorizationError) -> [JSONValue?] {
        var keys: [JSONValue?] = invite.content["public_key"].map { [$0] } ?? []
        switch invite.content["public_keys"] {
        case nil:
            break
        case .array(let entries)?:
            keys += entries.map { $0.objectValue?["public_key"] }
        case .string(let text)?:
            keys += text.unicodeScalars.map { _ in nil }
        case .object(let members)?:
            keys += members.map { _ in nil }
        default:
            throw AuthorizationError("The m.room.third_party_invite's public_keys is not a list")
        }
        return keys
    }

    /// Synapse's check, step for step: for each public key in turn, the first `ed25519:` signature in `signed` (by
    /// server, then key ID, in code point order, the order Synapse's event objects keep keys in) is verified with
    /// it; success proves the invite, a bad signature moves on to the next key, and a key that is not valid base64
    /// of 32 bytes refuses the event.
    private static func isSigned(_ signed: JSONValue, byAnyKeyOf invite: PDU) throws(AuthorizationError) -> Bool {
        for publicKey in try publicKeys(of: invite) {
            guard let publicKey else { throw AuthorizationError("An m.room.third_party_invite public key is malformed") }
            guard let signatures = signed["signatures"]?.objectValue else {
                throw AuthorizationError("third_party_invite.signed.signatures is not an object")
            }
            guard let signature = try firstEd25519Signature(in: signatures) else { continue }
            guard let text = publicKey.stringValue, let bytes = decodeBase64(text),
                  let key = try? VerifyKey(keyID: signature.keyID, publicKeyBytes: bytes)
            else { throw AuthorizationError("An m.room.third_party_invite public key is not an Ed25519 key") }
            if (try? key.verify(json: signed, signedBy: signature.server)) != nil { return true }
        }
        return false
    }

    private static func firstEd25519Signature(
        in signatures: JSONObject
    ) throws(AuthorizationError) -> (server: String, keyID: String)? {
        for (server, block) in signatures.sortedByKey() {
            guard let keys = block.objectValue else {
                throw AuthorizationError("third_party_invite.signed.signatures.\(server) is not an object")
            }
            if let keyID = keys.sortedByKey().first(where: { $0.key.utf8.starts(with: "ed25519:".utf8) })?.key {
                return (server, keyID)
            }
        }
        return nil
    }

    /// Unpadded base64 in either alphabet, even mixed, as Synapse's `decode_base64` reads it.
    private static func decodeBase64(_ text: String) -> [UInt8]? {
        let standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        return UnpaddedBase64.decode(standard)
    }
}
