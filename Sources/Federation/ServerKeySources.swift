public import MatrixCrypto
public import MatrixTypes
import Synchronization

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

    /// The keys each notary without configured `verify_keys` publishes, until their `valid_until_ts`; one entry per
    /// configured notary at most.
    final class PublishedKeys: Sendable {
        let entries = Mutex<[ServerName: (keys: [VerifyKey], until: Int64)]>([:])
    }

    let notaries: [TrustedNotary]
    let query: Query
    let direct: RemoteServerKeys.Fetch
    let clock: @Sendable () -> Int64
    let published = PublishedKeys()

    public init(
        notaries: [TrustedNotary], query: @escaping Query, direct: @escaping RemoteServerKeys.Fetch,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.notaries = notaries
        self.query = query
        self.direct = direct
        self.clock = clock
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

    /// The current keys `notary` publishes, fetched from it and checked as any server's, and kept while they are
    /// valid.
    private func publishedKeys(of notary: ServerName) async throws -> [VerifyKey] {
        let now = clock()
        if let kept = published.entries.withLock({ $0[notary] }), kept.until > now { return kept.keys }
        let document = try await direct(notary)
        let current = try RemoteServerKeys.verifiedKeys(document, of: notary).values.filter { $0.validUntil > now }
        guard let until = current.map(\.validUntil).min() else { return [] }
        let keys = current.map(\.key)
        published.entries.withLock { $0[notary] = (keys, until) }
        return keys
    }
}
