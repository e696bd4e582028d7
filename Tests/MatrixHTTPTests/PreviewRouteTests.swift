import AxonTesting
import ClientAPI
import Federation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import Testing
import URLPreview

/// `preview_url` on a media listener, through the responder: its paths, the query it takes, who may call it, and how
/// a preview's refusal reaches the client.
@Suite struct PreviewRouteTests {
    struct OneToken: AccessTokenResolver {
        func requester(forAccessToken token: String) async throws -> Requester? {
            guard token == "valid" else { return nil }
            return Requester(userID: try UserID("@alice:axon.test"), deviceID: "DEV", isGuest: false, accessTokenID: 1)
        }
    }

    /// Pages without images, so nothing is ever stored.
    struct NoImages: PreviewImageStorage {
        struct Unexpected: Error {}
        func store(_ bytes: ByteBuffer, contentType: String, uploadName: String?, for user: UserID) async throws -> StoredPreviewImage {
            throw Unexpected()
        }
    }

    func withServer(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let settings = URLPreviewSettings(addressPolicy: OutboundAddressPolicy { $0 == [127, 0, 0, 2] }, timeout: .seconds(10))
        let service = try URLPreviewService(settings: settings, images: NoImages())
        let responder = MatrixResponder(
            registry: RouteRegistry(PreviewRoutes.routes(service)), served: ServedRoutes(listenerResources: [.media], role: nil),
            limits: BodyLimits(json: 1024, upload: 4096), trustForwardedFor: false, accessTokens: OneToken(), logger: Logger(label: "test")
        )
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    static func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(response.body.readableBytesView)
    }

    static func query(_ url: String) -> String {
        url.utf8.map { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true)
        }.joined()
    }

    @Test func everyPathAnswersThePagesTags() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/page", .html("<html><head><title>Route page</title></head></html>"))
        try await withServer { client in
            for path in ["/_matrix/client/v1/media/preview_url", "/_matrix/media/v3/preview_url", "/_matrix/media/r0/preview_url"] {
                let response = try await client.execute(
                    uri: "\(path)?url=\(Self.query(site.url("/page")))&ts=1700000000000", method: .get, headers: [.authorization: "Bearer valid"]
                )
                #expect(response.status == .ok, "\(path)")
                #expect(try Self.json(response)["og:title"] == "Route page", "\(path)")
            }
        }
        #expect(site.requests("/page") == 1)
    }

    @Test func theQueryIsCheckedAndATokenRequired() async throws {
        try await withServer { client in
            let missing = try await client.execute(uri: "/_matrix/client/v1/media/preview_url", method: .get, headers: [.authorization: "Bearer valid"])
            #expect(missing.status == .badRequest)
            #expect(try Self.json(missing)["errcode"] == "M_MISSING_PARAM")
            let badTimestamp = try await client.execute(
                uri: "/_matrix/client/v1/media/preview_url?url=http%3A%2F%2Fexample.org%2F&ts=yesterday", method: .get, headers: [.authorization: "Bearer valid"]
            )
            #expect(badTimestamp.status == .badRequest)
            #expect(try Self.json(badTimestamp)["errcode"] == "M_INVALID_PARAM")
            let anonymous = try await client.execute(uri: "/_matrix/client/v1/media/preview_url?url=http%3A%2F%2Fexample.org%2F", method: .get)
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func aRefusedPreviewIsTheClientsError() async throws {
        try await withServer { client in
            let blocked = try await client.execute(
                uri: "/_matrix/client/v1/media/preview_url?url=\(Self.query("http://10.0.0.1/"))", method: .get, headers: [.authorization: "Bearer valid"]
            )
            #expect(blocked.status == .forbidden)
            #expect(try Self.json(blocked) == ["errcode": "M_UNKNOWN", "error": "IP address blocked"])
            let notHTTP = try await client.execute(
                uri: "/_matrix/media/v3/preview_url?url=\(Self.query("ftp://example.org/"))", method: .get, headers: [.authorization: "Bearer valid"]
            )
            #expect(notHTTP.status == .badRequest)
            #expect(try Self.json(notHTTP)["errcode"] == "M_INVALID_PARAM")
        }
    }
}
