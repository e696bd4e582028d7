import Crypto
import MatrixTypes

/// Content hashes, reference hashes and event IDs (server-server API, "Signing Events").
public enum EventHashes {
    /// SHA-256 of the canonical event without `unsigned`, `signatures` and `hashes`; it covers the unredacted
    /// content, so a receiver can tell whether it was sent the full event.
    ///
    /// Synapse also leaves out the legacy top-level `age_ts`, `outlier` and `destinations` keys, and events it
    /// created carry hashes computed that way, so they are left out here too.
    public static func contentHash(of event: JSONValue) throws(EventHashingError) -> [UInt8] {
        guard case .object(var members) = event else { throw .notAnObject }
        for key in ["unsigned", "signatures", "hashes", "age_ts", "outlier", "destinations"] {
            members[key] = nil
        }
        return sha256(try canonical(.object(members)))
    }

    /// Whether `hashes.sha256` matches the event's content hash. A mismatch means the event must be
    /// treated as redacted.
    public static func hasValidContentHash(_ event: JSONValue) -> Bool {
        guard let expected = event["hashes"]?["sha256"]?.stringValue,
              let decoded = UnpaddedBase64.decode(expected),
              let actual = try? contentHash(of: event)
        else { return false }
        return decoded == actual
    }

    /// SHA-256 of the canonical redacted event without `signatures` and `unsigned`; room versions 3 and later
    /// derive event IDs (and v12 room IDs) from it.
    public static func referenceHash(of event: JSONValue, version: RoomVersion) throws(EventHashingError) -> [UInt8] {
        guard case .object(var members) = try EventRedaction.redact(event, rules: version.redactionRules) else {
            throw .notAnObject
        }
        members["signatures"] = nil
        members["unsigned"] = nil
        return sha256(try canonical(.object(members)))
    }

    /// The event's ID: its `event_id` member in rooms v1–v2, its encoded reference hash from v3 on.
    public static func eventID(of event: JSONValue, version: RoomVersion) throws(EventHashingError) -> EventID {
        let alphabet: Base64Alphabet
        switch version.eventIDFormat {
        case .serverScoped:
            guard let text = event["event_id"]?.stringValue else { throw .invalidEventID("missing") }
            do throws(IdentifierError) {
                let eventID = try EventID(text)
                guard eventID.isValid(for: .serverScoped) else { throw IdentifierError("not '$opaque:server'") }
                return eventID
            } catch {
                throw .invalidEventID(error.message)
            }
        case .referenceHash: alphabet = .standard
        case .urlSafeReferenceHash: alphabet = .urlSafe
        }
        let hash = UnpaddedBase64.encode(try referenceHash(of: event, version: version), alphabet: alphabet)
        do {
            return try EventID("$" + hash)
        } catch {
            preconditionFailure("a 43-character base64 hash is always a valid event ID: \(error)")
        }
    }

    /// Synapse hashes every room version's events with one encoder, Python's JSON in canonical form, so rooms v1–v5
    /// hash floats and large integers as Python writes them. Strict canonical values encode the same either way, and
    /// events of rooms v6+ holding anything else are refused when decoded.
    private static func canonical(_ value: JSONValue) throws(EventHashingError) -> [UInt8] {
        do {
            return try value.legacyCanonicalEncoded()
        } catch {
            throw .notCanonical(error)
        }
    }

    private static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}
