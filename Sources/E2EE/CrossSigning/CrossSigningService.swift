public import Accounts
import MatrixCrypto
public import MatrixTypes
public import Storage

/// `/keys/device_signing/upload` and `/keys/signatures/upload`: a user's cross-signing keys and the signatures that
/// link them to devices and to other users' master keys.
public final class CrossSigningService: Sendable {
    private let database: any Database
    private let deviceLists: DeviceListStream
    private let reauthentication: Reauthentication
    /// Where other servers' users' master keys are asked for, when the requester signs one.
    private let keys: KeyService

    public init(database: any Database, deviceLists: DeviceListStream, reauthentication: Reauthentication, keys: KeyService) {
        self.database = database
        self.deviceLists = deviceLists
        self.reauthentication = reauthentication
        self.keys = keys
    }

    /// Most keys one signature upload may name.
    static let maximumSignedKeys = 1_000

    /// Stores the uploaded keys. The first upload, and one identical to what is stored, need no password (Element's
    /// bootstrap depends on it); replacing keys does. The self-signing and user-signing keys must be signed by the
    /// master key, uploaded with them or stored.
    public func upload(_ body: JSONObject, submission: UIASubmission, requester: Requester) async throws {
        let user = requester.userID
        var uploaded: [CrossSigningKey] = []
        for usage in CrossSigningKey.Usage.allCases {
            guard let json = body[usage.field], json != .null else { continue }
            uploaded.append(try CrossSigningKey(json, usage: usage, user: user))
        }
        let stored = try await E2EEError.catching {
            try await database.read { connection in try CrossSigningKeysTable.keys(of: [user.rawValue], in: connection) }
        }[JSONKey(user.rawValue)] ?? [:]
        let storedKey = { (usage: CrossSigningKey.Usage) in stored[JSONKey(usage.rawValue)].flatMap { try? JSONValue.parse($0) } }
        let changed = uploaded.filter { key in storedKey(key.usage).map { !key.sameKey(as: $0) } ?? true }
        guard !changed.isEmpty else { return }
        let master = uploaded.first { $0.usage == .master } ?? storedKey(.master).flatMap { try? CrossSigningKey($0, usage: .master, user: user) }
        guard let master, let masterKey = master.verifyKey else { throw E2EEError.invalidSignature("No master key available to verify the signatures") }
        for key in uploaded where key.usage != .master {
            do {
                try masterKey.verify(json: key.json, signedBy: user.rawValue)
            } catch {
                throw E2EEError.invalidSignature("The \(key.usage.field) is not signed by the master key")
            }
        }
        if storedKey(.master) != nil {
            try await reauthentication.require(.uploadCrossSigningKeys, submission, requester: requester)
        }
        let rows = changed.map { ($0.usage.rawValue, KeyService.text($0.json)) }
        try await deviceLists.write(changeOf: user) { transaction in
            for (type, json) in rows { try CrossSigningKeysTable.upsert(userID: user.rawValue, type: type, json: json, in: transaction) }
            return ((), [""])
        }
    }

    /// Stores each signature that verifies and answers `failures` for the rest: on the requester's own devices (by
    /// their self-signing key), on their master key (by one of their devices), and on other users' master keys (by
    /// their user-signing key). The signed object must be the stored key, signatures aside.
    public func uploadSignatures(_ body: JSONObject, requester: Requester) async throws(E2EEError) -> JSONObject {
        guard body.values.reduce(0, { $0 + ($1.objectValue?.count ?? 0) }) <= Self.maximumSignedKeys else {
            throw .tooMany("At most \(Self.maximumSignedKeys) keys may be signed at once")
        }
        var targets: [(user: UserID, keyID: String, json: JSONValue)] = []
        for (userText, keys) in body.sortedByKey() {
            guard let user = try? UserID(userText) else { throw .invalid("\(userText) is not a user ID") }
            guard let keys = keys.objectValue else { throw .invalid("\(userText) must map key IDs to signed keys") }
            for (keyID, json) in keys.sortedByKey() {
                guard json.objectValue != nil else { throw .invalid("\(userText).\(keyID) must be an object") }
                targets.append((user, keyID, json))
            }
        }
        let me = requester.userID
        let users = Set([me.rawValue] + targets.map(\.user.rawValue)).sorted()
        let (crossSigning, deviceKeys) = try await E2EEError.catching {
            try await database.read { connection in
                (try CrossSigningKeysTable.keys(of: users, in: connection), try DeviceKeysTable.keys(of: users, in: connection))
            }
        }
        // Other servers' users' master keys are theirs to tell.
        let remoteMasters = await keys.remoteMasterKeys(of: Array(Set(targets.map(\.user).filter { crossSigning[JSONKey($0.rawValue)] == nil })))
        func stored(_ user: UserID, _ usage: CrossSigningKey.Usage) -> CrossSigningKey? {
            let json = crossSigning[JSONKey(user.rawValue)]?[JSONKey(usage.rawValue)].flatMap { try? JSONValue.parse($0) }
                ?? (usage == .master ? remoteMasters[user] : nil)
            return json.flatMap { try? CrossSigningKey($0, usage: usage, user: user) }
        }
        var accepted: [(user: UserID, keyID: String, signature: KeySignature)] = []
        var failures: JSONObject = [:]
        for target in targets {
            do throws(E2EEError) {
                accepted += try Self.check(
                    target.json, of: target.user, keyID: target.keyID, by: me,
                    master: stored(target.user, .master), selfSigning: stored(me, .selfSigning), userSigning: stored(me, .userSigning),
                    deviceKeys: deviceKeys
                ).map { (target.user, target.keyID, $0) }
            } catch {
                var userFailures = failures[target.user.rawValue]?.objectValue ?? [:]
                let failure = error.clientError
                userFailures[target.keyID] = [
                    "status": .integer(Int64(failure.status)), "errcode": .string(failure.code.rawValue), "message": .string(failure.message),
                ]
                failures[target.user.rawValue] = .object(userFailures)
            }
        }
        for (user, rows) in Dictionary(grouping: accepted, by: \.user) {
            // A change to one's own keys' signatures is a device-list change; a signature over another user's master
            // key is the signer's own business (shown only to them), told to no one else.
            let masterKey = stored(user, .master)?.publicKey ?? ""
            let devices = user == me ? rows.map { masterKey.hasSameBytes(as: $0.keyID) ? "" : $0.keyID } : []
            try await deviceLists.write(changeOf: user) { transaction in
                for row in rows {
                    try CrossSigningSignaturesTable.upsert(targetUserID: user.rawValue, targetKeyID: row.keyID, row.signature, in: transaction)
                }
                return ((), devices)
            }
        }
        return ["failures": .object(failures)]
    }

    /// The new signatures by `signer` in `json`, the key `keyID` of `owner`, that verify.
    private static func check(
        _ json: JSONValue, of owner: UserID, keyID: String, by signer: UserID, master: CrossSigningKey?, selfSigning: CrossSigningKey?,
        userSigning: CrossSigningKey?, deviceKeys: [JSONKey: [JSONKey: String]]
    ) throws(E2EEError) -> [KeySignature] {
        let signatures = json["signatures"]?[signer.rawValue]?.objectValue ?? [:]
        if let master, master.publicKey.hasSameBytes(as: keyID) {
            guard master.sameKey(as: json) else { throw .invalidSignature("The signed key does not match the stored master key") }
            if owner == signer {
                // A user's own devices sign their master key.
                let verified = signatures.keys.compactMap { name -> KeySignature? in
                    guard name.hasPrefix("ed25519:"), let device = deviceKey(String(name.dropFirst(8)), of: owner, in: deviceKeys),
                        (try? device.verify(json: json, signedBy: signer.rawValue)) != nil, let signature = signatures[name]?.stringValue
                    else { return nil }
                    return KeySignature(signerUserID: signer.rawValue, signerKeyID: name, signature: signature)
                }
                guard !verified.isEmpty else { throw .invalidSignature("No signature by one of the user's devices verifies") }
                return verified
            }
            return [try signature(on: json, by: userSigning, signer: signer, role: "user-signing")]
        }
        guard owner == signer else { throw .invalidSignature("Only another user's master key can be signed") }
        guard let text = deviceKeys[JSONKey(owner.rawValue)]?[JSONKey(keyID)], let stored = try? JSONValue.parse(text) else {
            throw .invalid("Unknown device \(keyID)")
        }
        guard CrossSigningKey.unsigned(stored).removingUnsigned == CrossSigningKey.unsigned(json).removingUnsigned else {
            throw .invalidSignature("The signed key does not match the stored device keys")
        }
        return [try signature(on: json, by: selfSigning, signer: signer, role: "self-signing")]
    }

    private static func signature(on json: JSONValue, by key: CrossSigningKey?, signer: UserID, role: String) throws(E2EEError) -> KeySignature {
        guard let key, let verifyKey = key.verifyKey else { throw .invalidSignature("No \(role) key to verify the signature with") }
        guard (try? verifyKey.verify(json: json, signedBy: signer.rawValue)) != nil,
            let signature = json["signatures"]?[signer.rawValue]?[verifyKey.keyID]?.stringValue
        else { throw .invalidSignature("The signature by the \(role) key does not verify") }
        return KeySignature(signerUserID: signer.rawValue, signerKeyID: verifyKey.keyID, signature: signature)
    }

    private static func deviceKey(_ deviceID: String, of owner: UserID, in deviceKeys: [JSONKey: [JSONKey: String]]) -> VerifyKey? {
        guard let text = deviceKeys[JSONKey(owner.rawValue)]?[JSONKey(deviceID)], let keys = try? JSONValue.parse(text),
            let key = keys["keys"]?["ed25519:" + deviceID]?.stringValue
        else { return nil }
        return try? VerifyKey(keyID: "ed25519:" + deviceID, base64: key)
    }
}

extension JSONValue {
    /// The object without `unsigned`, which the server adds and signatures do not cover.
    fileprivate var removingUnsigned: JSONValue {
        guard var object = objectValue else { return self }
        _ = object.removeValue(forKey: "unsigned")
        return .object(object)
    }
}
