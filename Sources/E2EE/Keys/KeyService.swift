import Accounts
public import MatrixTypes
public import Storage

/// `/keys/upload`, `/keys/query` and `/keys/claim`: devices' identity keys, one-time keys and fallback keys, for this
/// server's users and, through `RemoteDeviceKeys`, other servers'.
public final class KeyService: Sendable {
    private let database: any Database
    private let deviceLists: DeviceListStream
    private let serverName: ServerName
    private let remote: (any RemoteDeviceKeys)?
    private let counts: KeyCountCache

    public init(
        database: any Database, deviceLists: DeviceListStream, serverName: ServerName, remote: (any RemoteDeviceKeys)?,
        counts: KeyCountCache = KeyCountCache(capacity: 0)
    ) {
        self.database = database
        self.deviceLists = deviceLists
        self.serverName = serverName
        self.remote = remote
        self.counts = counts
    }

    /// Most users one query names and devices one claim asks for.
    static let maximumTargets = 10_000
    /// How long other servers are waited for when the request names no timeout (Synapse's default).
    static let defaultRemoteTimeout: Duration = .seconds(10)

    // MARK: Upload

    /// Stores the upload and answers the device's one-time key counts. New or changed device keys are a device-list
    /// change; a one-time key ID the device already holds must come with the same key.
    public func upload(_ upload: KeyUpload, requester: Requester) async throws(E2EEError) -> [String: Int64] {
        let user = requester.userID.rawValue
        let device = requester.deviceID
        let deviceKeysText = try await changedDeviceKeys(upload.deviceKeys, user: user, device: device).map(Self.text)
        let store: @Sendable (any Transaction) throws -> [String: Int64] = { transaction in
            if let deviceKeysText { try DeviceKeysTable.upsert(userID: user, deviceID: device, json: deviceKeysText, in: transaction) }
            try Self.storeOneTimeKeys(upload.oneTimeKeys, user: user, device: device, in: transaction)
            for key in upload.fallbackKeys {
                try FallbackKeysTable.upsert(
                    userID: user, deviceID: device, algorithm: key.algorithm, keyID: key.keyID, json: Self.text(key.value), in: transaction
                )
            }
            return try Self.oneTimeKeyCounts(user: user, device: device, in: transaction)
        }
        defer { counts.forget(requester.userID, devices: [device]) }
        guard deviceKeysText != nil else {
            return try await E2EEError.catching { try await database.write { transaction in try store(transaction) } }
        }
        return try await deviceLists.write(changeOf: requester.userID) { transaction in (try store(transaction), [device]) }
    }

    /// `keys` unless they are what the device already has.
    private func changedDeviceKeys(_ keys: JSONValue?, user: String, device: String) async throws(E2EEError) -> JSONValue? {
        guard let keys else { return nil }
        let stored = try await E2EEError.catching {
            try await database.read { connection in try DeviceKeysTable.keys(userID: user, deviceID: device, in: connection) }
        }
        return stored.flatMap { try? JSONValue.parse($0) } == keys ? nil : keys
    }

    private static func storeOneTimeKeys(_ keys: [KeyUpload.NamedKey], user: String, device: String, in transaction: any Transaction) throws {
        let existing = try OneTimeKeysTable.existing(
            userID: user, deviceID: device, keys: keys.map { ($0.algorithm, $0.keyID) }, in: transaction
        )
        for key in keys {
            let name = key.algorithm + ":" + key.keyID
            if let stored = existing[JSONKey(name)] {
                // Signatures may differ between uploads of the same key; the key itself may not.
                guard let storedValue = try? JSONValue.parse(stored), CrossSigningKey.unsigned(storedValue) == CrossSigningKey.unsigned(key.value) else {
                    throw E2EEError.oneTimeKeyConflict("One time key \(name) already exists with different content")
                }
                continue
            }
            try OneTimeKeysTable.insert(
                userID: user, deviceID: device, algorithm: key.algorithm, keyID: key.keyID, json: text(key.value), in: transaction
            )
        }
    }

    static func text(_ value: JSONValue) -> String {
        String(decoding: value.encoded(), as: UTF8.self)
    }

    /// The device's unclaimed one-time keys per algorithm, always with `signed_curve25519` (clients rely on it).
    static func oneTimeKeyCounts(user: String, device: String, in connection: any Connection) throws(StorageError) -> [String: Int64] {
        var counts = try OneTimeKeysTable.counts(userID: user, deviceID: device, in: connection)
        counts["signed_curve25519"] = counts["signed_curve25519"] ?? 0
        return counts
    }

    /// `one_time_key_counts` (and `/sync`'s `device_one_time_keys_count`) as JSON.
    public static func json(counts: [String: Int64]) -> JSONValue {
        .object(JSONObject(uniqueKeysWithValues: counts.map { ($0.key, JSONValue.integer($0.value)) }))
    }

    /// What `/sync` tells a device of its own keys: one-time keys left per algorithm, and the algorithms whose fallback
    /// key has not been handed out.
    public func keyCounts(of user: UserID, device: String) async throws(E2EEError) -> KeyCountCache.Counts {
        let (cached, generation) = counts.counts(of: user, device: device)
        if let cached { return cached }
        let found = try await E2EEError.catching {
            try await database.read { connection in
                (
                    try Self.oneTimeKeyCounts(user: user.rawValue, device: device, in: connection),
                    try FallbackKeysTable.unusedAlgorithms(userID: user.rawValue, deviceID: device, in: connection)
                )
            }
        }
        counts.store(found, of: user, device: device, readAt: generation)
        return found
    }

    // MARK: Query

    /// `/keys/query`: `deviceKeys` maps user IDs to the device IDs wanted (all when empty). Local users are read
    /// here; other servers are asked at once, each within `timeout`, and those that fail are listed in `failures`.
    public func query(_ deviceKeys: JSONObject, timeout: Duration?, requester: Requester) async throws(E2EEError) -> JSONObject {
        let wanted = try Self.parseTargets(deviceKeys) { devices throws(E2EEError) -> [String] in
            guard let list = devices.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalid("device_keys values must be lists of device IDs")
            }
            return list.compactMap(\.stringValue)
        }
        let (local, remote) = partition(wanted)
        var answer = try await localKeys(local, requester: requester.userID)
        var failures: JSONObject = [:]
        for (server, result) in await askEach(remote, timeout: timeout, ask: { remote, users, server, limit in
            try await remote.query(
                .init(uniqueKeysWithValues: users.map { ($0.key.rawValue, JSONValue.array($0.value.map(JSONValue.string))) }), on: server, timeout: limit
            )
        }) {
            guard let body = result else {
                failures[server.rawValue] = unreachableServer
                continue
            }
            Self.merge(body, from: server, into: &answer)
        }
        answer["failures"] = .object(failures)
        return try await withRequesterSignatures(answer, remoteUsers: remote.values.flatMap(\.keys), requester: requester.userID)
    }

    /// Other servers' users' master keys with the signatures the requester's user-signing key made over them, which
    /// only this server holds.
    private func withRequesterSignatures(_ answer: JSONObject, remoteUsers: [UserID], requester: UserID) async throws(E2EEError) -> JSONObject {
        guard !remoteUsers.isEmpty, var masters = answer["master_keys"]?.objectValue else { return answer }
        let signatures = try await E2EEError.catching {
            try await database.read { connection in try CrossSigningSignaturesTable.signatures(of: remoteUsers.map(\.rawValue), in: connection) }
        }
        for user in remoteUsers {
            guard let key = masters[user.rawValue], let keyID = CrossSigningKey.publicKey(of: key) else { continue }
            let mine = (signatures[JSONKey(user.rawValue)]?[JSONKey(keyID)] ?? []).filter { $0.signerUserID.hasSameBytes(as: requester.rawValue) }
            masters[user.rawValue] = CrossSigningSignaturesTable.merged(mine, into: key)
        }
        var answer = answer
        answer["master_keys"] = .object(masters)
        return answer
    }

    /// Other servers' users' master keys as their servers answer now (those that did not answer are left out).
    func remoteMasterKeys(of users: [UserID]) async -> [UserID: JSONValue] {
        let (_, remote) = partition(Dictionary(uniqueKeysWithValues: users.map { ($0, [String]()) }))
        var found: [UserID: JSONValue] = [:]
        for (server, result) in await askEach(remote, timeout: nil, ask: { remote, users, server, limit in
            try await remote.query(.init(uniqueKeysWithValues: users.keys.map { ($0.rawValue, JSONValue.array([])) }), on: server, timeout: limit)
        }) {
            for (user, key) in result?["master_keys"]?.objectValue ?? [:] {
                guard let user = try? UserID(user), user.serverName == server, users.contains(user) else { continue }
                found[user] = key
            }
        }
        return found
    }

    /// Only users of `server` may be answered for by it.
    private static func merge(_ body: JSONObject, from server: ServerName, into answer: inout JSONObject) {
        for field in ["device_keys", "master_keys", "self_signing_keys"] {
            guard let entries = body[field]?.objectValue else { continue }
            var merged = answer[field]?.objectValue ?? [:]
            for (user, value) in entries where (try? UserID(user))?.serverName.rawValue.hasSameBytes(as: server.rawValue) == true {
                merged[user] = value
            }
            answer[field] = .object(merged)
        }
    }

    /// Keys of local users: each existing device's stored keys with the signatures others made over them and its
    /// display name (for local requesters: other servers are not told device names, as in Synapse by default); their
    /// cross-signing keys (the user-signing key only for the requester).
    private func localKeys(_ wanted: [UserID: [String]], requester: UserID?) async throws(E2EEError) -> JSONObject {
        let users = wanted.keys.map(\.rawValue)
        return try await E2EEError.catching {
            try await database.read { connection in
                let devices = try DeviceDirectory.devices(of: users, in: connection)
                let keys = try DeviceKeysTable.keys(of: users, in: connection)
                let signatures = try CrossSigningSignaturesTable.signatures(of: users, in: connection)
                // Signatures by the key's owner, and the requester's own: whom others verified is theirs to know.
                let visible = { (found: [KeySignature]?, owner: UserID) in
                    (found ?? []).filter { signature in
                        signature.signerUserID.hasSameBytes(as: owner.rawValue)
                            || (requester.map { signature.signerUserID.hasSameBytes(as: $0.rawValue) } ?? false)
                    }
                }
                var deviceKeys: JSONObject = [:]
                for user in wanted.keys {
                    let asked = wanted[user] ?? []
                    var entries: JSONObject = [:]
                    for device in devices where device.userID.hasSameBytes(as: user.rawValue) {
                        guard asked.isEmpty || asked.contains(where: { $0.hasSameBytes(as: device.deviceID) }),
                            let text = keys[JSONKey(user.rawValue)]?[JSONKey(device.deviceID)], var key = try? JSONValue.parse(text)
                        else { continue }
                        key = CrossSigningSignaturesTable.merged(visible(signatures[JSONKey(user.rawValue)]?[JSONKey(device.deviceID)], user), into: key)
                        if requester != nil, let name = device.displayName { key["unsigned"] = ["device_display_name": .string(name)] }
                        entries[device.deviceID] = key
                    }
                    deviceKeys[user.rawValue] = .object(entries)
                }
                var answer: JSONObject = ["device_keys": .object(deviceKeys)]
                let crossSigning = try CrossSigningKeysTable.keys(of: users, in: connection)
                for (type, field) in [("master", "master_keys"), ("self_signing", "self_signing_keys"), ("user_signing", "user_signing_keys")] {
                    var entries: JSONObject = [:]
                    for user in wanted.keys where type != "user_signing" || user == requester {
                        guard let text = crossSigning[JSONKey(user.rawValue)]?[JSONKey(type)], let key = try? JSONValue.parse(text) else { continue }
                        let keyID = CrossSigningKey.publicKey(of: key) ?? ""
                        entries[user.rawValue] = CrossSigningSignaturesTable.merged(visible(signatures[JSONKey(user.rawValue)]?[JSONKey(keyID)], user), into: key)
                    }
                    answer[field] = .object(entries)
                }
                return answer
            }
        }
    }

    // MARK: Other servers

    /// `/_matrix/federation/v1/user/keys/query`: the keys of this server's users among those asked for.
    public func answerQuery(_ deviceKeys: JSONObject) async throws(E2EEError) -> JSONObject {
        let wanted = try Self.parseTargets(deviceKeys) { devices throws(E2EEError) -> [String] in
            devices.arrayValue?.compactMap(\.stringValue) ?? []
        }
        return try await localKeys(partition(wanted).local, requester: nil)
    }

    /// `/_matrix/federation/v1/user/keys/claim`: one-time keys of this server's users' devices among those asked for.
    public func answerClaim(_ oneTimeKeys: JSONObject) async throws(E2EEError) -> JSONObject {
        let wanted = try Self.claimTargets(oneTimeKeys)
        let local = partition(wanted).local
        return ["one_time_keys": .object(try await claimLocal(local))]
    }

    /// `/_matrix/federation/v1/user/devices/{userId}`: every device of a local user, with keys, at the current
    /// device-list position.
    public func answerDevices(of user: UserID) async throws(E2EEError) -> JSONObject {
        guard user.serverName.rawValue.hasSameBytes(as: serverName.rawValue) else { throw .invalid("\(user) is not a user of this server") }
        let position = deviceLists.position
        return try await E2EEError.catching {
            try await database.read { connection in try DeviceListUpdates.devices(of: user, streamID: position, in: connection) }
        }
    }

    // MARK: Claim

    /// `/keys/claim`: `oneTimeKeys` maps user IDs to device IDs to the algorithm wanted. Each local device gives one
    /// unclaimed one-time key, or its fallback key when none is left; other servers are asked at once.
    public func claim(_ oneTimeKeys: JSONObject, timeout: Duration?) async throws(E2EEError) -> JSONObject {
        let wanted = try Self.claimTargets(oneTimeKeys)
        let (local, remote) = partition(wanted)
        var claimed = try await claimLocal(local)
        var failures: JSONObject = [:]
        for (server, result) in await askEach(remote, timeout: timeout, ask: { remote, users, server, limit in
            let body = JSONObject(users.map { user, devices in
                (user.rawValue, JSONValue.object(JSONObject(devices.map { ($0.device, JSONValue.string($0.algorithm)) })))
            })
            return try await remote.claim(body, on: server, timeout: limit)
        }) {
            guard let keys = result?["one_time_keys"]?.objectValue else {
                failures[server.rawValue] = unreachableServer
                continue
            }
            for (user, devices) in keys where (try? UserID(user))?.serverName.rawValue.hasSameBytes(as: server.rawValue) == true {
                claimed[user] = devices
            }
        }
        return ["one_time_keys": .object(claimed), "failures": .object(failures)]
    }

    /// `{user: {device: algorithm}}`, checked and bounded.
    private static func claimTargets(_ oneTimeKeys: JSONObject) throws(E2EEError) -> [UserID: [(device: String, algorithm: String)]] {
        let wanted = try parseTargets(oneTimeKeys) { devices throws(E2EEError) -> [(device: String, algorithm: String)] in
            guard let object = devices.objectValue else { throw .invalid("one_time_keys values must be objects") }
            return try object.sortedByKey().map { entry throws(E2EEError) in
                guard let algorithm = entry.value.stringValue else { throw .invalid("one_time_keys algorithms must be strings") }
                try E2EEError.refusingNUL(entry.key + algorithm, in: "one_time_keys")
                return (entry.key, algorithm)
            }
        }
        guard wanted.values.reduce(0, { $0 + $1.count }) <= maximumTargets else {
            throw .tooMany("At most \(maximumTargets) devices may be claimed for at once")
        }
        return wanted
    }

    private func claimLocal(_ wanted: [UserID: [(device: String, algorithm: String)]]) async throws(E2EEError) -> JSONObject {
        guard !wanted.isEmpty else { return [:] }
        defer { for (user, devices) in wanted { counts.forget(user, devices: devices.map(\.device)) } }
        return try await E2EEError.catching {
            try await database.write { transaction in
                var claimed: JSONObject = [:]
                for (user, devices) in wanted {
                    var keys: JSONObject = [:]
                    for (device, algorithm) in devices {
                        let key =
                            try OneTimeKeysTable.claim(userID: user.rawValue, deviceID: device, algorithm: algorithm, in: transaction)
                            ?? FallbackKeysTable.claim(userID: user.rawValue, deviceID: device, algorithm: algorithm, in: transaction)
                        guard let key, let value = try? JSONValue.parse(key.json) else { continue }
                        keys[device] = [algorithm + ":" + key.keyID: value]
                    }
                    if !keys.isEmpty { claimed[user.rawValue] = .object(keys) }
                }
                return claimed
            }
        }
    }

    // MARK: Shared

    /// The request's user IDs with what is asked of each, checked and bounded.
    private static func parseTargets<T>(
        _ object: JSONObject, _ parse: (JSONValue) throws(E2EEError) -> T
    ) throws(E2EEError) -> [UserID: T] {
        guard object.count <= maximumTargets else { throw .tooMany("At most \(maximumTargets) users may be named at once") }
        var targets: [UserID: T] = [:]
        for (text, value) in object {
            try E2EEError.refusingNUL(text, in: "user IDs")
            guard let user = try? UserID(text) else { throw .invalid("\(text) is not a user ID") }
            targets[user] = try parse(value)
        }
        return targets
    }

    private func partition<T>(_ targets: [UserID: T]) -> (local: [UserID: T], remote: [ServerName: [UserID: T]]) {
        var local: [UserID: T] = [:]
        var remote: [ServerName: [UserID: T]] = [:]
        for (user, value) in targets {
            if user.serverName.rawValue.hasSameBytes(as: serverName.rawValue) {
                local[user] = value
            } else {
                remote[user.serverName, default: [:]][user] = value
            }
        }
        return (local, remote)
    }

    /// Servers asked at once; the rest wait for one of them to answer.
    static let serversAtOnce = 20

    /// Asks every server, `serversAtOnce` at a time, each bounded by `timeout`; `nil` for those that failed or cannot
    /// be asked.
    private func askEach<T: Sendable>(
        _ servers: [ServerName: [UserID: T]], timeout: Duration?,
        ask: @escaping @Sendable (any RemoteDeviceKeys, [UserID: T], ServerName, Duration) async throws -> JSONObject
    ) async -> [(ServerName, JSONObject?)] {
        guard let remote else { return servers.keys.map { ($0, nil) } }
        let limit = timeout ?? Self.defaultRemoteTimeout
        return await withTaskGroup(of: (ServerName, JSONObject?).self) { group in
            var results: [(ServerName, JSONObject?)] = []
            for (index, (server, users)) in servers.enumerated() {
                if index >= Self.serversAtOnce, let result = await group.next() { results.append(result) }
                group.addTask { (server, try? await ask(remote, users, server, limit)) }
            }
            for await result in group { results.append(result) }
            return results
        }
    }
}
