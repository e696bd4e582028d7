import MatrixTypes

extension JSONValue {
    /// The bytes a signature covers (appendix "Signing Details"): the canonical encoding of the object
    /// without its `signatures` and `unsigned` members. Written as Synapse (signedjson) writes them, so floats and
    /// large integers, which rooms v1–v5 allow, sign and verify as Python writes them.
    public func signableBytes() throws(JSONSigningError) -> [UInt8] {
        guard case .object(var members) = self else { throw .notAnObject }
        members["signatures"] = nil
        members["unsigned"] = nil
        do {
            return try JSONValue.object(members).legacyCanonicalEncoded()
        } catch {
            throw .notCanonical(error)
        }
    }
}

extension SigningKey {
    /// Returns `object` with this key's signature added under `signatures.<entity>.<keyID>`,
    /// keeping any signatures already present.
    public func sign(json object: JSONValue, as entity: String) throws(JSONSigningError) -> JSONValue {
        let signature = UnpaddedBase64.encode(signature(for: try object.signableBytes()))
        var signatures = object["signatures"] ?? [:]
        guard case .object = signatures else { throw .malformedSignatures }
        var entitySignatures = signatures[entity] ?? [:]
        guard case .object = entitySignatures else { throw .malformedSignatures }
        entitySignatures[keyID] = .string(signature)
        signatures[entity] = entitySignatures
        var signed = object
        signed["signatures"] = signatures
        return signed
    }
}

extension VerifyKey {
    /// Checks `object` carries a valid signature by `entity` under this key's ID (appendix "Checking for a Signature").
    public func verify(json object: JSONValue, signedBy entity: String) throws(SignatureVerificationError) {
        guard case .object = object else { throw .notAnObject }
        guard let encoded = object["signatures"]?[entity]?[keyID] else {
            throw .missingSignature(entity: entity, keyID: keyID)
        }
        guard let base64 = encoded.stringValue, let signature = UnpaddedBase64.decode(base64) else {
            throw .malformedSignature(entity: entity, keyID: keyID)
        }
        let message: [UInt8]
        do {
            message = try object.signableBytes()
        } catch {
            throw .notCanonical(error)
        }
        guard isValidSignature(signature, for: message) else {
            throw .invalidSignature(entity: entity, keyID: keyID)
        }
    }
}

public enum JSONSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    /// The object holds a non-finite float, which no JSON encoding can hold.
    case notCanonical(JSONEncodingError)
    /// `signatures` exists but is not an object of objects.
    case malformedSignatures

    public var description: String {
        switch self {
        case .notAnObject: "Only JSON objects can be signed"
        case .notCanonical(let error): "Cannot sign: \(error.message)"
        case .malformedSignatures: "The 'signatures' member is not an object of objects"
        }
    }
}

public enum SignatureVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    case missingSignature(entity: String, keyID: String)
    case malformedSignature(entity: String, keyID: String)
    case notCanonical(JSONSigningError)
    case invalidSignature(entity: String, keyID: String)

    public var description: String {
        switch self {
        case .notAnObject: "Only JSON objects carry signatures"
        case .missingSignature(let entity, let keyID): "No signature from \(entity) with key \(keyID)"
        case .malformedSignature(let entity, let keyID): "Signature from \(entity) with key \(keyID) is not base64"
        case .notCanonical(let error): error.description
        case .invalidSignature(let entity, let keyID): "Signature from \(entity) with key \(keyID) does not verify"
        }
    }
}
