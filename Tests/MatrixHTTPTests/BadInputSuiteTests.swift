import MatrixCrypto
import Accounts
import AxonConfig
import AxonRuntime
import AxonTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import Testing

/// Every route Axon registers, hit with requests derived from its declared shape, on both engines.
@Suite struct BadInputSuiteTests {
    @Test func everyRouteAnswersBadInputWithSpecErrorsAndChangesNothing() async throws {
        // A small upload limit, so the oversized upload is cheap to send.
        let config = try AccountTestServer.config(["allow_guest_access": "true", "max_upload_size": "1M"])
        try await withEachDatabase { database in
            let composition = try await Composition(config: config, role: .main, database: database, signingKey: try SigningKey.generate(), logger: Logger(label: "bad-input"))
            let responder = composition.responder(listenerResources: RouteResource.allCases, trustForwardedFor: false)
            let limits = BodyLimits(upload: composition.config.media.maxUploadSize)
            let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            let registry = composition.registry
            let tokens = try await Tokens(composition.accounts)
            try await app.test(.live) { client in
                for route in registry.routes {
                    let methods = Set(registry.routes.filter { $0.path == route.path }.map(\.method))
                    let cases = try BadInputCases.cases(for: route, registeredMethods: methods, limits: limits)
                    #expect(!cases.isEmpty, "\(route.method) \(route.path) has no bad-input cases")
                    let validPath = try BadInputCases.validPath(for: route) + BadInputCases.validQuery(for: route)
                    let valid = try await client.execute(
                        uri: validPath, method: route.method, headers: try await tokens.headers(for: .valid, route: route),
                        body: BadInputCases.validBody(route).map { ByteBuffer(string: $0) }
                    )
                    #expect(valid.status.code < 500, "valid request to \(route.path) failed with \(valid.status)")
                    // Ignored input behaves as the valid request did, so it may change rows as that did: run it first.
                    for ignored in cases where ignored.expectation == .sameAsValidRequest {
                        let response = try await send(ignored, route: route, client: client, tokens: tokens)
                        #expect(response.status == valid.status, "\(ignored)")
                    }
                    let errorHeaders = try await tokens.headers(for: .valid, route: route)
                    // Stream positions move on their own after the valid request's commits (recorded later on PostgreSQL).
                    let afterValid = try await TableSnapshot.take(database, excluding: ["stream_positions"])
                    for badCase in cases {
                        guard case .error(let status, let errcode) = badCase.expectation else { continue }
                        let headers = badCase.credential == .valid ? errorHeaders : try await tokens.headers(for: badCase.credential, route: route)
                        let response = try await client.execute(
                            uri: badCase.path, method: badCase.method, headers: headers, body: badCase.body.map { ByteBuffer(string: $0) }
                        )
                        #expect(response.status.code == status, "\(badCase)")
                        let body = try? JSONValue.parse(response.body.readableBytesView)
                        #expect(body?["errcode"]?.stringValue == errcode, "\(badCase): \(String(buffer: response.body))")
                        #expect(body?["error"]?.stringValue != nil, "\(badCase)")
                        if errcode == "M_UNKNOWN_TOKEN" { #expect(body?["soft_logout"] == false, "\(badCase)") }
                    }
                    let after = try await TableSnapshot.take(database, excluding: ["stream_positions"])
                    #expect(after == afterValid, "bad input to \(route.method) \(route.path) changed rows")
                }
            }
        }
    }

    private func send(_ badCase: BadInputCase, route: Route, client: any TestClientProtocol, tokens: Tokens) async throws -> TestResponse {
        try await client.execute(
            uri: badCase.path, method: badCase.method, headers: try await tokens.headers(for: badCase.credential, route: route),
            body: badCase.body.map { ByteBuffer(string: $0) }
        )
    }

    /// Access tokens for the suite: a registered user (logged in afresh for each use, since some routes
    /// revoke the token they are called with) and a guest.
    struct Tokens: Sendable {
        let accounts: AccountServices
        let guest: String
        static let username = "badinput"
        static let password = "bad input password"

        init(_ accounts: AccountServices) async throws {
            self.accounts = accounts
            let submission = UIASubmission(
                body: ["username": .string(Self.username), "password": .string(Self.password), "auth": ["type": "m.login.dummy"]],
                passwordField: "password"
            )
            _ = try await accounts.registration.register(submission, address: "127.0.0.1")
            guest = try #require(try await accounts.registration.registerGuest(initialDeviceDisplayName: nil, address: "127.0.0.1").session?.accessToken)
        }

        func headers(for credential: BadInputCase.Credential, route: Route) async throws -> HTTPFields {
            guard route.tokenRequirement != nil else { return [:] }
            switch credential {
            case .missing:
                return [:]
            case .unknown:
                return [.authorization: "Bearer syt_bm9ib2R5_NotARealTokenAtAllXYZ_0abcde"]
            case .guest:
                return [.authorization: "Bearer \(guest)"]
            case .valid:
                let session = try await accounts.login.logIn(
                    ["type": "m.login.password", "user": .string(Self.username), "password": .string(Self.password)], address: "127.0.0.1"
                )
                return [.authorization: "Bearer \(session.accessToken)"]
            }
        }
    }
}
