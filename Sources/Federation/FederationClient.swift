public import MatrixCrypto
public import MatrixTypes
import NIOHTTP1

/// Requests to other servers: resolves the server name, signs the request as this server (`X-Matrix`) unless it is
/// one servers make unsigned (key fetches), sends it over the federation transport and reads the JSON answer. A
/// request that found the server unreachable, slow or failing (5xx, 429) is sent again after the policy's short
/// pauses, as Synapse does, unless its caller paces retries itself.
public struct FederationClient: Sendable {
    let serverName: ServerName
    let signingKey: SigningKey
    let resolver: ServerNameResolver
    let transport: FederationTransport
    /// How requests are retried; the sender paces transactions with it too.
    public let retries: FederationRetryPolicy

    public init(
        serverName: ServerName, signingKey: SigningKey, resolver: ServerNameResolver, transport: FederationTransport,
        retries: FederationRetryPolicy = FederationRetryPolicy()
    ) {
        self.serverName = serverName
        self.signingKey = signingKey
        self.resolver = resolver
        self.transport = transport
        self.retries = retries
    }

    /// `GET target` on `destination`; a signed request unless `signed` is false.
    public func get(
        _ target: String, from destination: ServerName, signed: Bool = true, retrying: Bool = true, timeout: Duration? = nil
    ) async throws(FederationRequestError) -> JSONValue {
        try await send(.GET, target, to: destination, content: nil, signed: signed, retrying: retrying, timeout: timeout)
    }

    /// - Parameters:
    ///   - retrying: false for a request whose caller retries on its own schedule (transactions), or that must fail
    ///     fast (key fetches while a request waits to be authenticated).
    ///   - timeout: how long each try may wait for an answer, when not the transport's `client_timeout`.
    public func send(
        _ method: HTTPMethod, _ target: String, to destination: ServerName, content: JSONValue?, signed: Bool = true, retrying: Bool = true,
        timeout: Duration? = nil
    ) async throws(FederationRequestError) -> JSONValue {
        var failures = 0
        while true {
            do {
                return try await sendOnce(method, target, to: destination, content: content, signed: signed, timeout: timeout)
            } catch {
                failures += 1
                guard retrying, error.isTransient, let pause = retries.shortRetryPause(afterFailures: failures) else { throw error }
                do {
                    try await Task.sleep(for: FederationRetryPolicy.jittered(pause))
                } catch {
                    throw .transport(.timedOut(destination.rawValue))
                }
            }
        }
    }

    private func sendOnce(
        _ method: HTTPMethod, _ target: String, to destination: ServerName, content: JSONValue?, signed: Bool, timeout: Duration?
    ) async throws(FederationRequestError) -> JSONValue {
        var headers: [(String, String)] = []
        var body: [UInt8]?
        if let content {
            headers.append(("Content-Type", "application/json"))
            body = content.encoded()
        }
        if signed {
            guard
                let authorization = try? FederationRequestSignature.authorization(
                    method: method.rawValue, uri: target, origin: serverName, destination: destination.rawValue, content: content, key: signingKey
                )
            else { throw .unsignable }
            headers.append(("Authorization", authorization.headerValue))
        }
        let response: OutboundHTTP.Response
        do {
            let endpoints = try await resolver.endpoints(for: destination)
            response = try await transport.send(.init(method: method, target: target, headers: headers, body: body), to: endpoints, timeout: timeout)
        } catch {
            throw .transport(error)
        }
        let json = try? JSONValue.parse(String(decoding: response.body, as: UTF8.self))
        guard (200..<300).contains(response.status) else {
            throw .refused(status: response.status, errcode: json?["errcode"]?.stringValue, error: json?["error"]?.stringValue)
        }
        guard let json else { throw .malformedResponse("the answer is not JSON") }
        return json
    }
}

/// Why a request to another server failed.
public enum FederationRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case transport(OutboundHTTPError)
    /// The server answered with an error status.
    case refused(status: Int, errcode: String?, error: String?)
    case malformedResponse(String)
    /// The request could not be signed (its content cannot be written as canonical JSON).
    case unsignable

    /// A failure that a later attempt may not meet: the server unreachable, too slow, failing or asking us to slow down.
    public var isTransient: Bool {
        switch self {
        case .transport(.unreachable), .transport(.timedOut): true
        case .refused(let status, _, _): status >= 500 || status == 429
        default: false
        }
    }

    public var description: String {
        switch self {
        case .transport(let error): error.description
        case .refused(let status, let errcode, let error): "refused with \(status) \(errcode ?? "") \(error ?? "")"
        case .malformedResponse(let detail): "malformed answer: \(detail)"
        case .unsignable: "the request cannot be signed"
        }
    }
}
