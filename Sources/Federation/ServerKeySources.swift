public import MatrixCrypto
public import MatrixTypes

/// A notary trusted to vouch for other servers' keys (`trusted_key_servers`).
public struct TrustedNotary: Sendable {
    public var serverName: ServerName
    /// The keys its answers must be signed with (`verify_keys`); empty: those it publishes itself, fetched from it.
    public var verifyKeys: [VerifyKey]

    public init(serverName: ServerName, verifyKeys: [VerifyKey]) {
        self.serverName = serverName
        self.verifyKeys = verifyKeys
    }
}

/// Where other servers' key documents come from, in Synapse's order: each trusted notary (`POST
/// /_matrix/key/v2/query`), then the server itself (`/_matrix/key/v2/server`). A notary's document counts only when
/// the notary signed it with one of its keys; `RemoteServerKeys` then checks it as it checks a direct answer (it names
/// the server and the keys it lists signed it). A trusted notary is trusted fully, as in Synapse: it could list a key
/// of its own making, which is why only configured notaries are asked.
public struct ServerKeySources: Sendable {
    /// Asks `notary` the key query `body`.
    public typealias Query = @Sendable (_ notary: ServerName, _ body: JSONValue) async throws -> JSONValue

    let notaries: [TrustedNotary]
    let query: Query
    let direct: RemoteServerKeys.Fetch

    public init(notaries: [TrustedNotary], query: @escaping Query, direct: @escaping RemoteServerKeys.Fetch) {
        self.notaries = notaries
        self.query = query
        self.direct = direct
    }

    /// `server`'s key document, from the first notary that vouches for it, else from the server.
    public func fetch(_ server: ServerName) async throws -> JSONValue {
        for notary in notaries where notary.serverName != server {
            if let document = try? await vouched(server, by: notary) { return document }
        }
        return try await direct(server)
    }

    private func vouched(_ server: ServerName, by notary: TrustedNotary) async throws -> JSONValue? {
        let answer = try await query(notary.serverName, ["server_keys": .object([server.rawValue: [:]])])
        let notaryKeys = notary.verifyKeys.isEmpty ? try await publishedKeys(of: notary.serverName) : notary.verifyKeys
        for document in answer["server_keys"]?.arrayValue ?? [] {
            guard document["server_name"]?.stringValue?.hasSameBytes(as: server.rawValue) == true else { continue }
            if notaryKeys.contains(where: { (try? $0.verify(json: document, signedBy: notary.serverName.rawValue)) != nil }) {
                return document
            }
        }
        return nil
    }

    /// The current keys `notary` publishes, fetched from it and checked as any server's.
    private func publishedKeys(of notary: ServerName) async throws -> [VerifyKey] {
        let document = try await direct(notary)
        return try RemoteServerKeys.verifiedKeys(document, of: notary).values.map(\.key)
    }
}
