import AxonTesting
import E2EE
import MatrixTypes
import Replication
import RoomStore
import Storage
import Testing

/// One-time keys go to one claimant each, also when claims race for the last one; then the fallback key.
@Suite struct KeyClaimTests {
    static let alice = try! UserID("@alice:keys.test")
    static let requester = Requester(userID: alice, deviceID: "ALICEDEVICE", isGuest: false, accessTokenID: 1)

    @Test func concurrentClaimsOfTheLastOneTimeKeyHaveOneWinnerAndTheRestGetTheFallbackKey() async throws {
        try await withEachDatabase { database in
            let keys = try await Self.keyService(database)
            _ = try await keys.upload(try Self.upload(oneTime: ["AAAA1"], fallback: "FB1"), requester: Self.requester)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        let answer = try await keys.claim([Self.alice.rawValue: [Self.requester.deviceID: "signed_curve25519"]], timeout: nil)
                        return answer["one_time_keys"]?[Self.alice.rawValue]?[Self.requester.deviceID]?.objectValue?.keys ?? []
                    }
                }
                var all: [[String]] = []
                for try await claim in group { all.append(claim) }
                return all
            }
            #expect(claims.filter { $0 == ["signed_curve25519:AAAA1"] }.count == 1, "exactly one winner: \(claims) on \(database.dialect)")
            #expect(claims.filter { $0 == ["signed_curve25519:FB1"] }.count == 15, "the others get the fallback key: \(claims)")
            let counts = try await keys.keyCounts(of: Self.alice, device: Self.requester.deviceID)
            #expect(counts.oneTimeKeys == ["signed_curve25519": 0] && counts.unusedFallback.isEmpty)
        }
    }

    /// Claims racing while keys remain each get a different one-time key: a claim skips a key another is taking
    /// rather than finding nothing and handing out the fallback key.
    @Test func concurrentClaimsWhileKeysRemainEachGetAOneTimeKey() async throws {
        try await withEachDatabase { database in
            let keys = try await Self.keyService(database)
            let ids = (0..<12).map { "AAAA\($0)" }
            _ = try await keys.upload(try Self.upload(oneTime: ids, fallback: "FB1"), requester: Self.requester)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in ids {
                    group.addTask {
                        let answer = try await keys.claim([Self.alice.rawValue: [Self.requester.deviceID: "signed_curve25519"]], timeout: nil)
                        return answer["one_time_keys"]?[Self.alice.rawValue]?[Self.requester.deviceID]?.objectValue?.keys ?? []
                    }
                }
                var all: [String] = []
                for try await claim in group { all += claim }
                return all
            }
            #expect(Set(claims) == Set(ids.map { "signed_curve25519:\($0)" }), "\(claims) on \(database.dialect)")
        }
    }

    @Test func cachedCountsFollowUploadsAndClaims() async throws {
        try await withEachDatabase { database in
            let keys = try await Self.keyService(database, cached: true)
            let device = Self.requester.deviceID
            #expect(try await keys.keyCounts(of: Self.alice, device: device).oneTimeKeys == ["signed_curve25519": 0])
            _ = try await keys.upload(try Self.upload(oneTime: ["AAAA1", "AAAA2"], fallback: "FB1"), requester: Self.requester)
            #expect(try await keys.keyCounts(of: Self.alice, device: device).oneTimeKeys == ["signed_curve25519": 2], "an upload is seen")
            #expect(try await keys.keyCounts(of: Self.alice, device: device).unusedFallback == ["signed_curve25519"])
            _ = try await keys.claim([Self.alice.rawValue: [device: "signed_curve25519"]], timeout: nil)
            #expect(try await keys.keyCounts(of: Self.alice, device: device).oneTimeKeys == ["signed_curve25519": 1], "a claim is seen")
        }
    }

    @Test func aRemovedDeviceTakesItsKeysAndIsADeviceListChange() async throws {
        try await withEachDatabase { database in
            let (keys, deviceLists, counts) = try await Self.services(database, cached: true)
            let device = Self.requester.deviceID
            _ = try await keys.upload(try Self.upload(oneTime: ["AAAA1"], fallback: "FB1"), requester: Self.requester)
            _ = try await keys.keyCounts(of: Self.alice, device: device)
            let before = deviceLists.position
            let removal = DeviceKeysRemoval(deviceLists: deviceLists, keyCounts: counts)
            let removed = try await removal.remove(devicesOf: Self.alice) { _ in [device] }
            #expect(removed == [device])
            let left = try await keys.keyCounts(of: Self.alice, device: device)
            #expect(left.oneTimeKeys == ["signed_curve25519": 0] && left.unusedFallback.isEmpty, "the cached counts were forgotten: \(left)")
            let claimed = try await keys.claim([Self.alice.rawValue: [device: "signed_curve25519"]], timeout: nil)
            #expect(claimed["one_time_keys"] == [:], "\(claimed)")
            #expect(deviceLists.position > before)
            let changes = try await deviceLists.changes(for: Self.alice, after: before, upTo: deviceLists.position, events: nil)
            #expect(changes.changed == [Self.alice])
        }
    }

    /// One-time keys named `signed_curve25519:<id>` and a fallback key, unsigned (uploads without device keys are
    /// not checked for signatures; the server stores what it is given).
    static func upload(oneTime: [String], fallback: String) throws -> KeyUpload {
        let key = { (id: String) -> (String, JSONValue) in ("signed_curve25519:\(id)", ["key": .string("key-\(id)")]) }
        return try KeyUpload(
            body: [
                "one_time_keys": .object(JSONObject(uniqueKeysWithValues: oneTime.map(key))),
                "fallback_keys": .object(JSONObject(uniqueKeysWithValues: [key(fallback)])),
            ],
            requester: requester
        )
    }

    static func keyService(_ database: any Database, cached: Bool = false) async throws -> KeyService {
        try await services(database, cached: cached).keys
    }

    static func services(
        _ database: any Database, cached: Bool
    ) async throws -> (keys: KeyService, deviceLists: DeviceListStream, counts: KeyCountCache) {
        let store = try await RoomStore.open(database: database, instance: "main")
        let deviceLists = DeviceListStream(
            database: database, stream: .writing(try await StreamIDAllocator.open(stream: "device_lists", instance: "main", database: database)),
            bus: InProcessBus(), store: store, serverName: try ServerName("keys.test")
        )
        let counts = KeyCountCache(capacity: cached ? 100 : 0)
        let keys = KeyService(database: database, deviceLists: deviceLists, serverName: try ServerName("keys.test"), remote: nil, counts: counts)
        return (keys, deviceLists, counts)
    }
}
