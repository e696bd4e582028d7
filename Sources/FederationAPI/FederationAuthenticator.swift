public import Federation
public import Logging
public import MatrixHTTP
public import MatrixTypes

/// Checks a federation request's `X-Matrix` headers (spec "Request Authentication"), as Synapse does: every header
/// names the same origin and none another destination, and one of the signatures verifies under the origin's key,
/// valid now. Anything else is `401 M_UNAUTHORIZED`.
public struct FederationAuthenticator: FederationRequestAuthenticating {
    let receiver: ServerName
    let keys: RemoteServerKeys
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(receiver: ServerName, keys: RemoteServerKeys, logger: Logger, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.receiver = receiver
        self.keys = keys
        self.logger = logger
        self.clock = clock
    }

    public func origin(of request: SignedFederationRequest) async throws(MatrixError) -> ServerName {
        let headers = request.authorizations.filter { $0.utf8.count >= 8 && $0.prefix(8).lowercased() == "x-matrix" }
        guard !headers.isEmpty else { throw refusal(.missingAuthorization) }
        var parsed: [XMatrixAuthorization] = []
        for header in headers {
            guard let authorization = XMatrixAuthorization(header: header) else { throw refusal(.malformedAuthorization) }
            parsed.append(authorization)
        }
        let origin = parsed[0].origin
        guard parsed.allSatisfy({ $0.origin.rawValue.hasSameBytes(as: origin.rawValue) }) else { throw refusal(.malformedAuthorization) }
        var failure = FederationAuthError.badSignature
        for authorization in parsed {
            do {
                let key = try await keys.key(authorization.keyID, of: origin, validAt: clock())
                try FederationRequestSignature.verify(
                    authorization, method: request.method, uri: request.uri, receiver: receiver, content: request.content, key: key
                )
                return origin
            } catch {
                if case .wrongDestination = error { throw refusal(error, origin: origin) }
                failure = error
            }
        }
        throw refusal(failure, origin: origin)
    }

    private func refusal(_ error: FederationAuthError, origin: ServerName? = nil) -> MatrixError {
        logger.info("refused a federation request", metadata: ["origin": "\(origin?.rawValue ?? "-")", "reason": "\(error)"])
        return MatrixError(.unauthorized, error.description, status: 401)
    }
}
