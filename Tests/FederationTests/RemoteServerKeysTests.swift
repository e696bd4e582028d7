import Federation
import Logging
import MatrixCrypto
import MatrixTypes
import Synchronization
import Testing

/// Other servers' keys: checked before use, kept until they expire, fetched once for concurrent askers, not
/// refetched for a minute after a failure.
struct RemoteServerKeysTests {
    let server = try! ServerName("remote.example")
    let key = try! SigningKey(seed: Array(repeating: 5, count: 32), version: "k1")
    let old = try! SigningKey(seed: Array(repeating: 6, count: 32), version: "k0")

    func document(validUntil: Int64 = 2_000, name: String? = nil, signer: SigningKey? = nil) throws -> JSONValue {
        let publication = ServerKeyPublication(
            serverName: try ServerName(name ?? server.rawValue), signingKey: signer ?? key,
            retired: [.init(key: old.verifyKey, expiredTimestamp: 500)], validity: validUntil - 1_000, clock: { 1_000 }
        )
        var document = try publication.document()
        if signer != nil { document["verify_keys"] = .object([key.keyID: ["key": .string(key.verifyKey.base64)]]) }
        return document
    }

    func keys(_ fetch: @escaping RemoteServerKeys.Fetch, now: @escaping @Sendable () -> Int64 = { 1_500 }) -> RemoteServerKeys {
        RemoteServerKeys(fetch: fetch, logger: Logger(label: "test"), clock: now)
    }

    @Test func aPublishedKeyIsUsableUntilItsValidityAndAnOldOneUntilItExpired() async throws {
        let fetches = Mutex(0)
        let document = try document()
        let store = keys { _ in
            fetches.withLock { $0 += 1 }
            return document
        }
        #expect(try await store.key("ed25519:k1", of: server, validAt: 1_500) == key.verifyKey)
        #expect(try await store.key("ed25519:k1", of: server, validAt: 2_000) == key.verifyKey)
        #expect(fetches.withLock { $0 } == 1, "kept, not fetched again")
        #expect(try await store.key("ed25519:k0", of: server, validAt: 400) == old.verifyKey)
        await #expect(throws: FederationAuthError.unknownKey("ed25519:k0")) { try await store.key("ed25519:k0", of: server, validAt: 600) }
        await #expect(throws: FederationAuthError.unknownKey("ed25519:k1")) { try await store.key("ed25519:k1", of: server, validAt: 2_001) }
    }

    @Test func documentsForAnotherServerOrNotSignedByTheirKeysAreRefused() async throws {
        let otherName = try document(name: "other.example")
        await #expect(throws: FederationAuthError.self) { try await keys { _ in otherName }.key("ed25519:k1", of: server, validAt: 1_500) }
        let forged = try document(signer: try SigningKey(seed: Array(repeating: 9, count: 32), version: "k1"))
        await #expect(throws: FederationAuthError.self) { try await keys { _ in forged }.key("ed25519:k1", of: server, validAt: 1_500) }
    }

    /// A document from a notary that predates the server's new key: the server itself is asked for that key.
    @Test func aKeyMissingFromTheFirstSourcesDocumentIsAskedOfTheFallback() async throws {
        let newer = try SigningKey(seed: Array(repeating: 8, count: 32), version: "k2")
        let stale = try document(validUntil: 500_000)
        let current = try ServerKeyPublication(
            serverName: server, signingKey: newer, retired: [], validity: 499_000, clock: { 1_000 }
        ).document()
        let fallbacks = Mutex(0)
        let store = RemoteServerKeys(
            fetch: { _ in stale },
            fallback: { _ in
                fallbacks.withLock { $0 += 1 }
                return current
            },
            logger: Logger(label: "test"), clock: { 1_500 }
        )
        #expect(try await store.key("ed25519:k1", of: server, validAt: 1_500) == key.verifyKey)
        #expect(fallbacks.withLock { $0 } == 0, "the first document had that key")
        #expect(try await store.key("ed25519:k2", of: server, validAt: 1_500) == newer.verifyKey)
        #expect(fallbacks.withLock { $0 } == 1)
    }

    @Test func aFailedFetchIsNotRepeatedForAMinute() async throws {
        let fetches = Mutex(0)
        let now = Mutex<Int64>(1_500)
        let good = try document(validUntil: 500_000)
        let store = keys({ _ in
            let count = fetches.withLock { count in
                count += 1
                return count
            }
            if count == 1 { throw FederationRequestError.malformedResponse("down") }
            return good
        }, now: { now.withLock { $0 } })
        await #expect(throws: FederationAuthError.self) { try await store.key("ed25519:k1", of: server, validAt: 1_500) }
        await #expect(throws: FederationAuthError.self) { try await store.key("ed25519:k1", of: server, validAt: 1_500) }
        #expect(fetches.withLock { $0 } == 1)
        now.withLock { $0 = 62_000 }
        #expect(try await store.key("ed25519:k1", of: server, validAt: 62_000) == key.verifyKey)
    }
}
