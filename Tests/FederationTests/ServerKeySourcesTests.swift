import Federation
import Logging
import MatrixCrypto
import MatrixTypes
import Synchronization
import Testing

/// Key documents from trusted notaries first, as Synapse asks them, then from the server itself; a notary's answer
/// counts only when the notary signed it.
struct ServerKeySourcesTests {
    /// The servers asked directly, in order.
    final class DirectFetches: Sendable {
        let names = Mutex<[String]>([])
        var all: [String] { names.withLock { $0 } }
    }

    let server = try! ServerName("remote.example")
    let notaryName = try! ServerName("notary.example")
    let key = try! SigningKey(seed: Array(repeating: 5, count: 32), version: "k1")
    let notaryKey = try! SigningKey(seed: Array(repeating: 7, count: 32), version: "n1")

    /// `name`'s own key document, signed by `signer`.
    func published(_ name: ServerName, by signer: SigningKey) throws -> JSONValue {
        try ServerKeyPublication(serverName: name, signingKey: signer, retired: [], validity: 1_000, clock: { 1_000 }).document()
    }

    func sources(verifyKeys: [VerifyKey], answer: JSONValue?, directFetches: DirectFetches) -> ServerKeySources {
        let (server, key, notaryName, notaryKey) = (server, key, notaryName, notaryKey)
        return ServerKeySources(
            notaries: [TrustedNotary(serverName: notaryName, verifyKeys: verifyKeys)],
            query: { notary, body in
                guard let answer, notary == notaryName, body["server_keys"]?[server.rawValue] != nil else {
                    throw FederationRequestError.malformedResponse("no answer")
                }
                return answer
            },
            direct: { name in
                directFetches.names.withLock { $0.append(name.rawValue) }
                return name == notaryName
                    ? try ServerKeyPublication(serverName: name, signingKey: notaryKey, retired: [], validity: 1_000, clock: { 1_000 }).document()
                    : try ServerKeyPublication(serverName: name, signingKey: key, retired: [], validity: 1_000, clock: { 1_000 }).document()
            },
            clock: { 1_500 }
        )
    }

    @Test func aNotaryVouchesBeforeTheServerIsAsked() async throws {
        let vouched = try notaryKey.sign(json: try published(server, by: key), as: notaryName.rawValue)
        let direct = DirectFetches()
        let sources = sources(verifyKeys: [notaryKey.verifyKey], answer: ["server_keys": [vouched]], directFetches: direct)
        #expect(try await sources.fetch(server) == vouched)
        #expect(direct.all.isEmpty, "the server itself was not asked")
        // Taken as a direct answer would be: its keys are the server's own.
        let keys = RemoteServerKeys(fetch: { try await sources.fetch($0) }, logger: Logger(label: "test"), clock: { 1_500 })
        #expect(try await keys.key("ed25519:k1", of: server, validAt: 1_500) == key.verifyKey)
    }

    @Test func whatTheNotaryDidNotSignOrCouldNotAnswerComesFromTheServer() async throws {
        let other = try SigningKey(seed: Array(repeating: 9, count: 32), version: "n1")
        let unvouched = try other.sign(json: try published(server, by: key), as: notaryName.rawValue)
        for answer in [["server_keys": [unvouched]], nil] as [JSONValue?] {
            let direct = DirectFetches()
            let sources = sources(verifyKeys: [notaryKey.verifyKey], answer: answer, directFetches: direct)
            #expect(try await sources.fetch(server) == (try published(server, by: key)))
            #expect(direct.all == [server.rawValue])
        }
    }

    @Test func aNotaryWithoutConfiguredKeysIsCheckedWithTheKeysItPublishes() async throws {
        let vouched = try notaryKey.sign(json: try published(server, by: key), as: notaryName.rawValue)
        let direct = DirectFetches()
        let sources = sources(verifyKeys: [], answer: ["server_keys": [vouched]], directFetches: direct)
        #expect(try await sources.fetch(server) == vouched)
        #expect(direct.all == [notaryName.rawValue], "only the notary's own keys were fetched from it")
        #expect(try await sources.fetch(server) == vouched)
        #expect(direct.all == [notaryName.rawValue], "the notary's keys are kept while valid")
    }
}
