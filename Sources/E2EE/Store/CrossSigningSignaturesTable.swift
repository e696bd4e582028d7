import MatrixTypes
import Storage

/// A signature one key made over another: of a device by its owner's self-signing key, of a master key by one of
/// its owner's devices or by another user's user-signing key.
struct KeySignature: Sendable, Equatable {
    var signerUserID: String
    var signerKeyID: String
    var signature: String
}

/// The only SQL touching `e2e_cross_signing_signatures` (migration 0015).
enum CrossSigningSignaturesTable {
    static func upsert(
        targetUserID: String, targetKeyID: String, _ signature: KeySignature, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO e2e_cross_signing_signatures (target_user_id, target_key_id, signer_user_id, signer_key_id, signature)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (target_user_id, target_key_id, signer_user_id, signer_key_id) DO UPDATE SET signature = excluded.signature
            """,
            [.text(targetUserID), .text(targetKeyID), .text(signature.signerUserID), .text(signature.signerKeyID), .text(signature.signature)]
        )
    }

    /// The signatures over `userIDs`' keys, as `user → key ID (device ID or public key) → signatures`, keyed by bytes.
    static func signatures(of userIDs: [String], in connection: any Connection) throws(StorageError) -> [JSONKey: [JSONKey: [KeySignature]]] {
        guard !userIDs.isEmpty else { return [:] }
        var found: [JSONKey: [JSONKey: [KeySignature]]] = [:]
        for row in try connection.query(
            """
            SELECT target_user_id, target_key_id, signer_user_id, signer_key_id, signature FROM e2e_cross_signing_signatures
            WHERE target_user_id IN (\(placeholders(userIDs.count)))
            """,
            userIDs.map(SQLValue.text)
        ) {
            let signature = KeySignature(
                signerUserID: try row.decode("signer_user_id"), signerKeyID: try row.decode("signer_key_id"), signature: try row.decode("signature")
            )
            found[JSONKey(try row.decode("target_user_id")), default: [:]][JSONKey(try row.decode("target_key_id")), default: []].append(signature)
        }
        return found
    }

    /// Deletes the signatures over the devices of `userID`, which go with the devices.
    static func delete(targetUserID: String, keyIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !keyIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM e2e_cross_signing_signatures WHERE target_user_id = ? AND target_key_id IN (\(placeholders(keyIDs.count)))",
            [.text(targetUserID)] + keyIDs.map(SQLValue.text)
        )
    }

    /// `key` with `signatures` added under `signatures.<signer>.<key ID>`.
    static func merged(_ signatures: [KeySignature], into key: JSONValue) -> JSONValue {
        guard !signatures.isEmpty else { return key }
        var key = key
        var all = key["signatures"]?.objectValue ?? [:]
        for signature in signatures {
            var bySigner = all[signature.signerUserID]?.objectValue ?? [:]
            bySigner[signature.signerKeyID] = .string(signature.signature)
            all[signature.signerUserID] = .object(bySigner)
        }
        key["signatures"] = .object(all)
        return key
    }
}
