extension JSONValue {
    /// The bytes an event of `version` is stored and measured as: strict canonical JSON from room v6 on, the legacy
    /// form Synapse writes (floats as Python's `repr`, integers of any size) before. For values strict canonical
    /// JSON allows, the two are the same bytes.
    public func canonicalEncoded(for version: RoomVersion) throws(JSONEncodingError) -> [UInt8] {
        version.requiresCanonicalJSON ? try canonicalEncoded() : try legacyCanonicalEncoded()
    }
}
