import EventAuth
public import Federation
import MatrixCrypto
public import MatrixTypes

/// The checks a PDU from another server passes before the auth rules see it: it decodes as an event of the room's
/// version, every server that must sign it did (with a key valid when the event was sent, where the room version
/// says so), and its content hash matches — or else it is redacted, as the spec has it, and goes on redacted.
public struct ReceivedPDUVerifier: Sendable {
    let keys: RemoteServerKeys
    let serverName: ServerName
    /// This server's keys, current and retired: an event it signed comes back from other servers.
    let ownKeys: ServerKeyPublication

    public init(keys: RemoteServerKeys, serverName: ServerName, ownKeys: ServerKeyPublication) {
        self.keys = keys
        self.serverName = serverName
        self.ownKeys = ownKeys
    }

    /// The event `json` describes, redacted when its content hash does not match. `alsoSignedBy`: servers whose
    /// signatures are required beyond the spec's (the invitee's server on an invite it countersigned).
    public func verify(_ json: JSONValue, version: RoomVersion, alsoSignedBy: Set<ServerName> = []) async throws(ReceivedPDUError) -> PDU {
        guard var object = json.objectValue else { throw .malformed("not a JSON object") }
        // What the sender's server added outside the signed event is not kept.
        object["unsigned"] = nil
        let event: PDU
        do {
            event = try PDU(json: .object(object), version: version)
        } catch {
            throw .malformed("\(error)")
        }
        let servers: Set<ServerName>
        do {
            servers = try EventAuthorizer.requiredSignatureServers(for: event).union(alsoSignedBy)
        } catch {
            throw .unsigned(error.message)
        }
        for server in servers.sorted(by: { $0.rawValue < $1.rawValue }) {
            try await checkSignature(of: event, by: server)
        }
        guard EventHashes.hasValidContentHash(event.json) else {
            do {
                let redacted = try EventRedaction.redact(event.json, rules: version.redactionRules)
                return try PDU(json: redacted, eventID: event.eventID, version: version)
            } catch {
                throw .malformed("its content hash does not match, and it cannot be redacted: \(error)")
            }
        }
        return event
    }

    /// At least one of `server`'s signatures on the event verifies with a key of `server` known to be valid then.
    private func checkSignature(of event: PDU, by server: ServerName) async throws(ReceivedPDUError) {
        let signatures = event.json["signatures"]?[server.rawValue]?.objectValue ?? [:]
        let keyIDs = signatures.keys.filter { $0.hasPrefix("ed25519:") }.sorted()
        guard !keyIDs.isEmpty else { throw .unsigned("no signature of \(server)") }
        let validAt = event.version.enforcesSigningKeyValidity ? event.originServerTS : 0
        for keyID in keyIDs {
            let key: VerifyKey
            if server == serverName {
                guard let own = ownKeys.verifyKey(keyID, validAt: validAt) else { continue }
                key = own
            } else {
                guard let remote = try? await keys.key(keyID, of: server, validAt: validAt) else { continue }
                key = remote
            }
            if (try? key.verify(event: event.json, signedBy: server.rawValue, version: event.version)) != nil { return }
        }
        throw .unsigned("no valid signature of \(server) with a key it published")
    }
}

/// Why a received PDU was dropped before the auth rules.
public enum ReceivedPDUError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an event of the room's version (missing or mistyped fields, too large, not canonical JSON).
    case malformed(String)
    /// A server that must sign it did not, or not with a key it published.
    case unsigned(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed event: \(reason)"
        case .unsigned(let reason): "bad signature: \(reason)"
        }
    }
}
