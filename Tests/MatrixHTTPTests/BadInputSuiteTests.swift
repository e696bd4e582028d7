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
        try await withEachDatabase { database in
            let composition = Composition(config: try TestConfig.monolith(), role: .main, database: database, logger: Logger(label: "bad-input"))
            let responder = composition.responder(listenerResources: RouteResource.allCases, trustForwardedFor: false)
            let jsonLimit = BodyLimits(upload: composition.config.media.maxUploadSize).json
            let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            let registry = composition.registry
            try await app.test(.live) { client in
                for route in registry.routes {
                    let methods = Set(registry.routes.filter { $0.path == route.path }.map(\.method))
                    let cases = try BadInputCases.cases(for: route, registeredMethods: methods, jsonLimit: jsonLimit)
                    #expect(!cases.isEmpty, "\(route.method) \(route.path) has no bad-input cases")
                    let validPath = try BadInputCases.validPath(for: route) + BadInputCases.validQuery(for: route)
                    let valid = try await client.execute(
                        uri: validPath, method: route.method, body: BadInputCases.validBody(route).map { ByteBuffer(string: $0) }
                    )
                    #expect(valid.status.code < 500, "valid request to \(route.path) failed with \(valid.status)")
                    let afterValid = try await TableSnapshot.take(database)
                    for badCase in cases {
                        let response = try await client.execute(uri: badCase.path, method: badCase.method, body: badCase.body.map { ByteBuffer(string: $0) })
                        switch badCase.expectation {
                        case .error(let status, let errcode):
                            #expect(response.status.code == status, "\(badCase)")
                            let body = try? JSONValue.parse(response.body.readableBytesView)
                            #expect(body?["errcode"]?.stringValue == errcode, "\(badCase): \(String(buffer: response.body))")
                            #expect(body?["error"]?.stringValue != nil, "\(badCase)")
                        case .sameAsValidRequest:
                            #expect(response.status == valid.status, "\(badCase)")
                        }
                    }
                    let after = try await TableSnapshot.take(database)
                    #expect(after == afterValid, "bad input to \(route.method) \(route.path) changed rows")
                }
            }
        }
    }
}
