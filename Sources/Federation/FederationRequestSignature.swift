public import MatrixCrypto
public import MatrixTypes

/// Signing and checking a server-to-server request (spec "Request Authentication"): the origin signs a JSON object of
/// the method, the request target (path and query exactly as sent), both server names and the body, and carries
/// the signature in an `X-Matrix` header.
public enum FederationRequestSignature {
    /// The object a request's signature covers.
    static func signedObject(method: String, uri: String, origin: String, destination: String, content: JSONValue?) -> JSONValue {
        var object: JSONObject = [
            "method": .string(method), "uri": .string(uri), "origin": .string(origin), "destination": .string(destination),
        ]
        if let content { object["content"] = content }
        return .object(object)
    }

    /// The header that authenticates a request from `origin` to `destination`.
    public static func authorization(
        method: String, uri: String, origin: ServerName, destination: String, content: JSONValue?, key: SigningKey
    ) throws(JSONSigningError) -> XMatrixAuthorization {
        let object = signedObject(method: method, uri: uri, origin: origin.rawValue, destination: destination, content: content)
        let signature = UnpaddedBase64.encode(key.signature(for: try object.signableBytes()))
        return XMatrixAuthorization(origin: origin, destination: destination, keyID: key.keyID, signature: signature)
    }

    /// Checks a request received by `receiver` carries `authorization` signed by its origin's `key` (the origin's key
    /// with the header's key ID, as the caller found it valid). A header naming another destination is refused before
    /// any signature is looked at, as the spec requires.
    public static func verify(
        _ authorization: XMatrixAuthorization, method: String, uri: String, receiver: ServerName, content: JSONValue?, key: VerifyKey
    ) throws(FederationAuthError) {
        if let destination = authorization.destination, !destination.hasSameBytes(as: receiver.rawValue) {
            throw .wrongDestination(destination)
        }
        guard key.keyID.hasSameBytes(as: authorization.keyID) else { throw .unknownKey(authorization.keyID) }
        guard let signature = UnpaddedBase64.decode(authorization.signature) else { throw .badSignature }
        let object = signedObject(
            method: method, uri: uri, origin: authorization.origin.rawValue, destination: receiver.rawValue, content: content
        )
        guard let message = try? object.signableBytes(), key.isValidSignature(signature, for: message) else { throw .badSignature }
    }
}

/// Why a server-to-server request was not accepted as coming from its claimed origin (all `401 M_UNAUTHORIZED`).
public enum FederationAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingAuthorization
    case malformedAuthorization
    case wrongDestination(String)
    /// The origin has no valid key with this ID (or it could not be fetched).
    case unknownKey(String)
    case badSignature

    public var description: String {
        switch self {
        case .missingAuthorization: "Missing Authorization headers"
        case .malformedAuthorization: "Malformed Authorization header"
        case .wrongDestination(let destination): "Request is for \(destination), not this server"
        case .unknownKey(let keyID): "No valid key \(keyID) for the origin"
        case .badSignature: "Invalid signature"
        }
    }
}
