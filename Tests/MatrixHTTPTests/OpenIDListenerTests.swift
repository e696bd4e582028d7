import AxonRuntime
import AxonTesting
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixCrypto
import MatrixHTTP
import MatrixTypes
import Testing

/// The federation OpenID userinfo endpoint is served where Synapse serves it: on listeners naming `openid` or
/// `federation` (which includes it), and not on a client-only listener.
@Suite struct OpenIDListenerTests {
    @Test(arguments: [
        ([RouteResource.client], false), ([.openid], true), ([.federation], true), ([.client, .federation], true),
    ])
    func userInfoIsServedByTheOpenIDResource(resources: [RouteResource], served: Bool) async throws {
        try await withEachDatabase { database in
            let composition = try await Composition(
                config: try TestConfig.monolith(), role: .main, database: database, signingKey: try SigningKey.generate(),
                logger: Logger(label: "openid-listener")
            )
            let app = Application(
                responder: composition.responder(listenerResources: resources, trustForwardedFor: false),
                configuration: .init(address: .hostname("127.0.0.1", port: 0))
            )
            try await app.test(.live) { client in
                let reply = try await client.execute(uri: "/_matrix/federation/v1/openid/userinfo?access_token=unknown", method: .get)
                let json = try JSONValue.parse(Array(reply.body.readableBytesView))
                if served {
                    #expect(reply.status.code == 401 && json["errcode"] == "M_UNKNOWN_TOKEN", "\(json)")
                } else {
                    #expect(reply.status.code == 404 && json["errcode"] == "M_UNRECOGNIZED", "\(json)")
                }
            }
        }
    }
}
