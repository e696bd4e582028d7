import MatrixTypes

extension SigningKey {
    /// Adds the content hash and this server's signature to an outgoing event: the hash covers the full event,
    /// the signature covers its redacted form, so signatures still verify after a redaction.
    public func hashAndSign(
        event: JSONValue,
        as serverName: String,
        version: RoomVersion
    ) throws(EventHashingError) -> JSONValue {
        let hash = UnpaddedBase64.encode(try EventHashes.contentHash(of: event))
        var hashed = event
        var hashes = event["hashes"] ?? [:]
        guard case .object = hashes else { throw .malformedHashes }
        hashes["sha256"] = .string(hash)
        hashed["hashes"] = hashes
        return try countersign(event: hashed, as: serverName, version: version)
    }
}

extension SigningKey {
    /// Adds this server's signature to an event another server built and hashed (an invite of one of our users): the
    /// signature covers the redacted form, as every event signature does, and the others are kept.
    public func countersign(event: JSONValue, as serverName: String, version: RoomVersion) throws(EventHashingError) -> JSONValue {
        let redacted = try EventRedaction.redact(event, rules: version.redactionRules)
        let signed: JSONValue
        do {
            signed = try sign(json: redacted, as: serverName)
        } catch {
            switch error {
            case .notAnObject: throw .notAnObject
            case .notCanonical(let encodingError): throw .notCanonical(encodingError)
            case .malformedSignatures: throw .malformedSignatures
            }
        }
        var countersigned = event
        countersigned["signatures"] = signed["signatures"]
        return countersigned
    }
}

extension VerifyKey {
    /// Checks `serverName`'s signature on an event; it is verified against the redacted form, so it holds for
    /// both full and redacted copies.
    public func verify(
        event: JSONValue,
        signedBy serverName: String,
        version: RoomVersion
    ) throws(SignatureVerificationError) {
        let redacted: JSONValue
        do {
            redacted = try EventRedaction.redact(event, rules: version.redactionRules)
        } catch {
            throw .notAnObject
        }
        try verify(json: redacted, signedBy: serverName)
    }
}
