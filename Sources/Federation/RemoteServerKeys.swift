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
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let capacity: Int
    private let state = Mutex(State())

    static let retryAfterFailure: Int64 = 60_000

    /// - Parameter capacity: servers whose keys are kept at most; past it the memory starts over.
    public init(
        fetch: @escaping Fetch, logger: Logger, capacity: Int = 10_000, clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.fetch = fetch
        self.logger = logger
        self.capacity = capacity
        self.clock = clock
    }

    /// `server`'s key `keyID`, valid at `time` (milliseconds since the epoch).
    public func key(_ keyID: String, of server: ServerName, validAt time: Int64) async throws(FederationAuthError) -> VerifyKey {
        let name = server.rawValue
        if let known = state.withLock({ $0.keys[name]?[keyID] }), known.validUntil >= time { return known.key }
        guard let fetched = await fetched(server)?.keys[keyID], fetched.validUntil >= time else { throw .unknownKey(keyID) }
        return fetched.key
    }

    /// `server`'s key document as it published it, valid at least until `minimumValidUntil` (fetched again when the
    /// one kept expires sooner); `nil` when none can be had.
    public func document(of server: ServerName, validUntil minimumValidUntil: Int64) async -> JSONValue? {
        if let kept = state.withLock({ $0.documents[server.rawValue] }), (kept["valid_until_ts"]?.integerValue ?? 0) >= minimumValidUntil {
            return kept
        }
        return await fetched(server)?.document
    }

    private func fetched(_ server: ServerName) async -> Fetched? {
        let name = server.rawValue
        let now = clock()
        let task = state.withLock { state -> Task<Fetched?, Never>? in
            if let until = state.failedUntil[name], until > now { return nil }
            if let running = state.fetching[name] { return running }
            let fetch = self.fetch
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
            state.fetching[name] = task
            return task
        }
        guard let task else { return nil }
        let fetched = await task.value
        state.withLock { state in
            state.fetching[name] = nil
            if state.keys.count >= capacity, state.keys[name] == nil {
                state.keys.removeAll(keepingCapacity: true)
                state.documents.removeAll(keepingCapacity: true)
            }
            if state.failedUntil.count >= capacity { state.failedUntil.removeAll(keepingCapacity: true) }
            if let fetched {
                state.keys[name, default: [:]].merge(fetched.keys) { _, new in new }
                state.documents[name] = fetched.document
                state.failedUntil[name] = nil
            } else {
                state.failedUntil[name] = now + Self.retryAfterFailure
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
