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
        guard let mxid = signed["mxid"], let token = signed["token"] else {
            throw AuthorizationError("third_party_invite.signed needs mxid and token")
        }
        guard mxid.stringValue?.hasSameBytes(as: target) == true else {
            throw AuthorizationError("third_party_invite.signed.mxid is not \(target)")
        }
        guard let tokenText = token.stringValue,
              let invite = context.state[StateKey(EventType.thirdPartyInvite, tokenText)]
        else { throw AuthorizationError("No m.room.third_party_invite for the token") }
        guard invite.sender == event.sender else {
            throw AuthorizationError("\(event.sender) did not send the m.room.third_party_invite")
        }
        guard isSigned(signed, byAnyKeyOf: invite) else {
            throw AuthorizationError("No signature in third_party_invite.signed matches the invite's public keys")
        }
    }

    /// The invite's public keys: `public_key`, then each `public_keys[].public_key`.
    private static func publicKeys(of invite: PDU) -> [String] {
        let single = invite.content["public_key"]?.stringValue.map { [$0] } ?? []
        let listed = (invite.content["public_keys"]?.arrayValue ?? []).compactMap { $0["public_key"]?.stringValue }
        return single + listed
    }

    private static func isSigned(_ signed: JSONValue, byAnyKeyOf invite: PDU) -> Bool {
        let signatures = signed["signatures"]?.objectValue ?? [:]
        for publicKey in publicKeys(of: invite) {
            guard let bytes = UnpaddedBase64.decode(publicKey) ?? UnpaddedBase64.decode(publicKey, alphabet: .urlSafe) else {
                continue
            }
            for (server, keys) in signatures {
                for keyID in (keys.objectValue ?? [:]).keys where keyID.utf8.starts(with: "ed25519:".utf8) {
                    guard let key = try? VerifyKey(keyID: keyID, publicKeyBytes: bytes) else { continue }
                    if (try? key.verify(json: signed, signedBy: server)) != nil { return true }
                }
            }
        }
        return false
    }
}
