import CoreMetrics
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import MatrixTypes
import NIOCore

/// Answers every request on one listener: CORS, body limits, dispatch through the route registry,
/// shape validation, rate limiting, the handler, and the mapping of any failure to the spec's error JSON.
public struct MatrixResponder: HTTPResponder {
    public typealias Context = AxonRequestContext

    let registry: RouteRegistry
    let served: ServedRoutes
    let limits: BodyLimits
    let trustForwardedFor: Bool
    let accessTokens: (any AccessTokenResolver)?
    let federation: (any FederationRequestAuthenticating)?
    let federationLimiter: FederationRateLimiter?
    let replication: Replication
    let logger: Logger

    /// How this process takes part in forwarding (worker mode).
    public struct Replication: Sendable {
        /// A worker's way to the main process, for the main process's routes.
        public var forwarding: (any RequestForwarding)?
        /// What forwarded requests must carry.
        public var secret: ReplicationSecret
        /// The main process's stream positions after answering a forwarded request (`X-Axon-Positions`).
        public var positions: (@Sendable () -> String)?
        /// A worker's wait, before a request that does not long-poll, until it has seen what the writers had written
        /// when the request arrived: a client reading right after writing through another process sees its write.
        public var catchUp: (@Sendable () async -> Void)?

        public init(
            forwarding: (any RequestForwarding)? = nil, secret: ReplicationSecret = ReplicationSecret(nil), positions: (@Sendable () -> String)? = nil,
            catchUp: (@Sendable () async -> Void)? = nil
        ) {
            self.forwarding = forwarding
            self.secret = secret
            self.positions = positions
            self.catchUp = catchUp
        }
    }

    /// - Parameters:
    ///   - accessTokens: resolves tokens for authenticated routes; without one, every token is unknown.
    ///   - federation: checks server-to-server signatures; without one, every federation route answers 401.
    ///   - federationLimiter: `rc_federation`, per origin, around each federation handler.
    public init(
        registry: RouteRegistry, served: ServedRoutes, limits: BodyLimits, trustForwardedFor: Bool,
        accessTokens: (any AccessTokenResolver)? = nil, federation: (any FederationRequestAuthenticating)? = nil,
        federationLimiter: FederationRateLimiter? = nil, replication: Replication = Replication(), logger: Logger
    ) {
        self.registry = registry
        self.served = served
        self.limits = limits
        self.trustForwardedFor = trustForwardedFor
        self.accessTokens = accessTokens
        self.federation = federation
        self.federationLimiter = federationLimiter
        self.replication = replication
        self.logger = logger
    }

    public func respond(to request: Request, context: AxonRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let rawPath = request.uri.path[...]
        let rawQuery = request.uri.query.map { $0[...] }
        let response: Response
        var routeLabel = "preflight"
        if request.method == .options {
            response = Response(status: .noContent, headers: CORS.headers)
        } else {
            (response, routeLabel) = await answer(&request, rawPath: rawPath, rawQuery: rawQuery, context: context)
        }
        Self.record(method: request.method, route: routeLabel, status: response.status.code, since: started)
        logger.info(
            "\(request.method) \(RequestLog.redactedTarget(path: rawPath, query: rawQuery)) \(response.status.code)",
            metadata: ["ms": "\(Self.milliseconds(since: started))", "peer": "\(remoteAddress(of: request, context: context))"]
        )
        return response
    }

    /// The response and the route it went to (its template, for metrics; `unmatched` when none).
    private func answer(
        _ request: inout Request, rawPath: Substring, rawQuery: Substring?, context: AxonRequestContext
    ) async -> (Response, String) {
        var label = "unmatched"
        do {
            let forwarded = request.headers[.axonForwarded] != nil && served.acceptsForwarded
            if forwarded { try replication.secret.check(request.headers) }
            let matched = try match(request, rawPath: rawPath)
            label = matched.route.path.description
            switch try served.disposition(of: matched.route, forwarded: forwarded) {
            case .forwardToMain:
                label += " (forwarded)"
                return (Self.encode(try await forward(&request, route: matched.route, rawPath: rawPath, rawQuery: rawQuery, context: context)), label)
            case .answer where forwarded:
                var response = try await handle(
                    &request, matched, rawPath: rawPath, rawQuery: rawQuery, remote: remoteAddress(of: request, context: context, trusted: true)
                )
                if let positions = replication.positions { response.headers[.axonPositions] = positions() }
                return (response, label)
            case .answer:
                if let catchUp = replication.catchUp, !Self.longPolls(rawQuery) { await catchUp() }
                return (
                    try await handle(&request, matched, rawPath: rawPath, rawQuery: rawQuery, remote: remoteAddress(of: request, context: context)),
                    label
                )
            }
        } catch {
            return (Self.encode(ErrorMapping.response(for: error, logger: logger)), label)
        }
    }

    /// Whether the request waits for news anyway (`/sync` or `/events` with a `timeout`): no catch-up wait before it.
    private static func longPolls(_ rawQuery: Substring?) -> Bool {
        guard let rawQuery, let query = try? QueryParameters(rawQuery: rawQuery), let timeout = query["timeout"].flatMap({ Int64($0) }) else {
            return false
        }
        return timeout > 0 && query["since"] != nil || timeout > 0 && query["from"] != nil
    }

    /// Requests and their latency per route, method and status (`/_synapse/metrics` with `enable_metrics`).
    private static func record(method: HTTPRequest.Method, route: String, status: Int, since started: ContinuousClock.Instant) {
        let dimensions = [("method", method.rawValue), ("route", route)]
        Counter(label: "axon_http_requests_total", dimensions: dimensions + [("status", String(status))]).increment()
        let elapsed = (ContinuousClock.now - started).components
        Timer(label: "axon_http_request_duration_seconds", dimensions: dimensions)
            .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
    }

    /// Hands the request to the main process unread but for its size, and answers with what it answered.
    private func forward(
        _ request: inout Request, route: Route, rawPath: Substring, rawQuery: Substring?, context: AxonRequestContext
    ) async throws -> MatrixResponse {
        guard let forwarding = replication.forwarding else { throw MatrixError.unrecognized() }
        let limit = limits.limit(for: route.shape.body)
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw MatrixError.tooLarge(limit: limit) }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw MatrixError.tooLarge(limit: limit)
        }
        return try await forwarding.forward(
            ForwardedRequest(
                method: request.method, target: rawQuery.map { "\(rawPath)?\($0)" } ?? String(rawPath),
                authorization: request.headers[.authorization], contentType: request.headers[.contentType],
                clientAddress: remoteAddress(of: request, context: context), body: body
            )
        )
    }

    /// Authenticates, validates, rate-limits and runs the handler.
    private func handle(
        _ request: inout Request, _ matched: (route: Route, parameters: [String: String]), rawPath: Substring, rawQuery: Substring?,
        remote: String
    ) async throws -> Response {
        do {
            let shape = matched.route.shape
            let query = try QueryParameters(rawQuery: rawQuery)
            let requester = try await authenticate(matched.route, headers: request.headers, query: query)
            try validate(query, against: shape.query)
            // Before the body is read, so a throttled client cannot make the server read and parse its bodies.
            // Per user when the request is authenticated, else per address, as Synapse keys its limiters.
            if let limiter = matched.route.rateLimiter,
                case .limited(let retry) = limiter.acquire(requester.map { $0.userID.rawValue } ?? remote)
            {
                throw MatrixError.limitExceeded(retryAfterMilliseconds: retry)
            }
            let (body, upload) = try await readBody(&request, shape: shape.body)
            let matrixRequest = MatrixRequest(
                method: request.method, route: matched.route, pathParameters: matched.parameters, query: query,
                body: body, upload: upload, headers: request.headers, remoteAddress: remote, logger: logger
            )
            switch (matched.route.handling, requester) {
            case (.open(let handler), _):
                return Self.encode(try await handler(matrixRequest))
            case (.optionallyAuthenticated(let handler), let requester):
                return Self.encode(try await handler(matrixRequest, requester))
            case (.authenticated(_, let handler), let requester?):
                return Self.encode(try await handler(AuthenticatedRequest(request: matrixRequest, requester: requester)))
            case (.authenticated, nil):
                preconditionFailure("authenticate(_:) returns a requester for every authenticated route")
            case (.federation(let handler), _):
                let signed = SignedFederationRequest(
                    method: request.method.rawValue, uri: rawQuery.map { "\(rawPath)?\($0)" } ?? String(rawPath),
                    authorizations: request.headers[values: .authorization], content: shape.body.isNone ? JSONValue?.none : body
                )
                guard let federation else { throw MatrixError(.unauthorized, "This server does not take federation requests.", status: 401) }
                let origin = try await federation.origin(of: signed)
                let federated = FederatedRequest(request: matrixRequest, origin: origin)
                guard let federationLimiter else { return Self.encode(try await handler(federated)) }
                return Self.encode(try await federationLimiter.run(origin.rawValue) { try await handler(federated) })
            }
        } catch {
            return Self.encode(ErrorMapping.response(for: error, logger: logger))
        }
    }

    /// The requester for an authenticated route (checked before the body is read, as Synapse does); `nil`
    /// for open routes, which never look at a token, and for optionally authenticated ones called without one.
    private func authenticate(_ route: Route, headers: HTTPFields, query: QueryParameters) async throws -> Requester? {
        let requirement: TokenRequirement
        switch route.handling {
        case .open, .federation:
            return nil
        case .optionallyAuthenticated:
            guard AccessTokenExtraction.isPresent(headers: headers, query: query) else { return nil }
            requirement = .userOrGuest
        case .authenticated(let required, _):
            requirement = required
        }
        let token = try AccessTokenExtraction.token(headers: headers, query: query)
        guard let requester = try await accessTokens?.requester(forAccessToken: token) else {
            throw AuthenticationError.unknownToken
        }
        if requester.isGuest, requirement == .user { throw AuthenticationError.guestAccessForbidden }
        return requester
    }

    private func match(_ request: Request, rawPath: Substring) throws(MatrixError) -> (route: Route, parameters: [String: String]) {
        guard let segments = PathTemplate.decodedSegments(ofRawPath: rawPath) else {
            throw .invalidParameter("The request path is not valid percent-encoded UTF-8.")
        }
        switch registry.match(request.method, segments: segments) {
        case .notFound:
            throw .unrecognized()
        case .methodNotAllowed:
            throw .unrecognized(status: 405)
        case .found(let route, let parameters):
            return (route, parameters)
        }
    }

    private func validate(_ query: QueryParameters, against fields: [QueryField]) throws(MatrixError) {
        for field in fields {
            guard let value = query[field.name] else {
                if field.isRequired { throw .missingParameter(field.name) }
                continue
            }
            try field.validate(value)
        }
    }

    private func readBody(_ request: inout Request, shape: BodyShape) async throws -> (JSONValue, UploadBody?) {
        let limit = limits.limit(for: shape)
        let tooLarge = shape.isNone ? MatrixError(.tooLarge, "This endpoint takes no request body.") : MatrixError.tooLarge(limit: limit)
        let declared = request.headers[.contentLength].flatMap { Int($0) }
        if let declared, declared > limit {
            throw tooLarge
        }
        if case .binary = shape { return (.null, UploadBody(body: request.body, limit: limit, declaredLength: declared)) }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        switch shape {
        case .none:
            try BodyValidation.requireNothingOrEmptyObject(buffer)
            return (.null, nil)
        case .binary:
            preconditionFailure("uploads are handed over unread above")
        case .jsonObject(let fields):
            return (try BodyValidation.validate(buffer, fields: fields), nil)
        case .jsonObjectOrEmpty(let fields):
            return (buffer.readableBytes == 0 ? [:] : try BodyValidation.validate(buffer, fields: fields), nil)
        }
    }

    /// The client's address: the peer's, or the first `X-Forwarded-For` entry where the proxy (or, for a forwarded
    /// request, the worker) is trusted to set it.
    private func remoteAddress(of request: Request, context: AxonRequestContext, trusted: Bool = false) -> String {
        if trustForwardedFor || trusted, let forwarded = request.headers[.xForwardedFor] {
            let first = forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let first, !first.isEmpty { return first }
        }
        return context.peerAddress ?? "unknown"
    }

    static func encode(_ response: MatrixResponse) -> Response {
        var headers = CORS.headers
        headers.append(contentsOf: response.headers)
        let body: ResponseBody
        switch response.body {
        case .json(let value):
            headers[.contentType] = "application/json"
            body = ResponseBody(byteBuffer: ByteBuffer(bytes: value.encoded()))
        case .text(let text):
            headers[.contentType] = "text/plain; charset=utf-8"
            body = ResponseBody(byteBuffer: ByteBuffer(string: text))
        case .bytes(let buffer, let contentType):
            headers[.contentType] = contentType
            body = ResponseBody(byteBuffer: buffer)
        case .stream(let stream):
            headers[.contentType] = stream.contentType
            body = ResponseBody(contentLength: stream.length) { writer in
                try await stream.produce { chunk in try await writer.write(chunk) }
                try await writer.finish(nil)
            }
        case .empty:
            body = ResponseBody()
        }
        return Response(status: response.status, headers: headers, body: body)
    }

    /// Milliseconds with two decimals, in integer arithmetic (Foundation's `String(format:)` costs more than some
    /// requests it times).
    private static func milliseconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let hundredths = elapsed.components.seconds * 100_000 + elapsed.components.attoseconds / 10_000_000_000_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
