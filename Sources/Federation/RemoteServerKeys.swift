public import Logging
public import MatrixCrypto
public import MatrixTypes
import Synchronization

/// Other servers' signing keys, as they publish them at `/_matrix/key/v2/server`: fetched when a key is asked for
/// that is not known valid at the time asked, checked (the document names the server, each listed key signed it, keys
/// decode), and kept in memory until their `valid_until_ts`, with the document as it came (which this server passes on
/// as a notary). Fetches of one server are shared by concurrent askers;
/// a server whose fetch failed is not asked again for a minute.
public final class RemoteServerKeys: Sendable {
    /// Fetches a server's key document.
    public typealias Fetch = @Sendable (ServerName) async throws -> JSONValue

    struct KnownKey: Sendable {
        let key: VerifyKey
        /// Milliseconds since the epoch: `valid_until_ts`, or `expired_ts` for an old key.
        let validUntil: Int64
    }

    /// A server's checked key document and the keys it lists.
    struct Fetched: Sendable {
        let document: JSONValue
        let keys: [String: KnownKey]
    }

    private struct State {
        var keys: [String: [String: KnownKey]] = [:]
        /// The last checked document of each server, as it came (what this server vouches for as a notary).
        var documents: [String: JSONValue] = [:]
        var fetching: [String: Task<Fetched?, Never>] = [:]
        var failedUntil: [String: Int64] = [:]
    }

    private let fetch: Fetch
    /// Asked when the document `fetch` gave lacks the key wanted (a notary's copy from before the server changed
    /// keys): the server itself.
    private let fallback: Fetch?
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let capacity: Int
    private let state = Mutex(State())

    static let retryAfterFailure: Int64 = 60_000

    /// - Parameter capacity: servers whose keys are kept at most; past it the memory starts over.
    public init(
        fetch: @escaping Fetch, fallback: Fetch? = nil, logger: Logger, capacity: Int = 10_000,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.fetch = fetch
        self.fallback = fallback
        self.logger = logger
        self.capacity = capacity
        self.clock = clock
    }

    /// `server`'s key `keyID`, valid at `time` (milliseconds since the epoch).
    public func key(_ keyID: String, of server: ServerName, validAt time: Int64) async throws(FederationAuthError) -> VerifyKey {
        let name = server.rawValue
        if let known = state.withLock({ $0.keys[name]?[keyID] }), known.validUntil >= time { return known.key }
        let first = await fetched(server, from: fetch, slot: name)
        if let fetched = first?.keys[keyID], fetched.validUntil >= time { return fetched.key }
        // A document that came without the key (a failed fetch already tried the server itself).
        if first != nil, let fallback,
            let direct = await fetched(server, from: fallback, slot: "\(name) directly")?.keys[keyID], direct.validUntil >= time
        {
            return direct.key
        }
        throw .unknownKey(keyID)
    }

    /// `server`'s key document as it published it, valid at least until `minimumValidUntil` (fetched again when the
    /// one kept expires sooner); `nil` when none can be had.
    public func document(of server: ServerName, validUntil minimumValidUntil: Int64) async -> JSONValue? {
        if let kept = state.withLock({ $0.documents[server.rawValue] }), (kept["valid_until_ts"]?.integerValue ?? 0) >= minimumValidUntil {
            return kept
        }
        return await fetched(server, from: fetch, slot: server.rawValue)?.document
    }

    /// `server`'s document from `source`, one fetch at a time per `slot` (and none for a minute after one failed).
    private func fetched(_ server: ServerName, from source: @escaping Fetch, slot: String) async -> Fetched? {
        let name = server.rawValue
        let now = clock()
        let task = state.withLock { state -> Task<Fetched?, Never>? in
            if let until = state.failedUntil[slot], until > now { return nil }
            if let running = state.fetching[slot] { return running }
            let fetch = source
            let logger = self.logger
            let task = Task { () -> Fetched? in
                do {
                    let document = try await fetch(server)
                    return Fetched(document: document, keys: try Self.verifiedKeys(document, of: server))
                } catch {
                    logger.warning("could not fetch a server's signing keys", metadata: ["server": "\(server)", "error": "\(error)"])
                    return nil
                }
            }
            state.fetching[slot] = task
            return task
        }
        guard let task else { return nil }
        let fetched = await task.value
        state.withLock { state in
            state.fetching[slot] = nil
            if state.keys.count >= capacity, state.keys[name] == nil {
                state.keys.removeAll(keepingCapacity: true)
                state.documents.removeAll(keepingCapacity: true)
            }
            if state.failedUntil.count >= capacity { state.failedUntil.removeAll(keepingCapacity: true) }
            if let fetched {
                state.keys[name, default: [:]].merge(fetched.keys) { _, new in new }
                state.documents[name] = fetched.document
                state.failedUntil[slot] = nil
            } else {
                state.failedUntil[slot] = now + Self.retryAfterFailure
            }
        }
        return fetched
    }

    /// The keys a server's key document lists, once checked: it names `server`, every current key signed it, and an
    /// old key is valid until its `expired_ts`.
    static func verifiedKeys(_ document: JSONValue, of server: ServerName) throws(FederationAuthError) -> [String: KnownKey] {
        guard let named = document["server_name"]?.stringValue, named.hasSameBytes(as: server.rawValue),
            let validUntil = document["valid_until_ts"]?.integerValue, case .object(let current)? = document["verify_keys"], !current.isEmpty
        else { throw .unknownKey("(an invalid key document)") }
        var keys: [String: KnownKey] = [:]
        for (keyID, entry) in current {
            guard let base64 = entry["key"]?.stringValue, let key = try? VerifyKey(keyID: keyID, base64: base64) else {
                throw .unknownKey(keyID)
            }
            guard (try? key.verify(json: document, signedBy: server.rawValue)) != nil else { throw .badSignature }
            keys[keyID] = KnownKey(key: key, validUntil: validUntil)
        }
        if case .object(let old)? = document["old_verify_keys"] {
            for (keyID, entry) in old where keys[keyID] == nil {
                guard let base64 = entry["key"]?.stringValue, let expired = entry["expired_ts"]?.integerValue,
                    let key = try? VerifyKey(keyID: keyID, base64: base64)
                else { continue }
                keys[keyID] = KnownKey(key: key, validUntil: expired)
            }
        }
        return keys
    }
}
