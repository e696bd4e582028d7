import MatrixTypes

extension PDU {
    /// The bytes the store keeps for this event: its JSON canonically encoded for its room version. A failure is a
    /// value no canonical JSON can hold, reported as an event that cannot be built.
    func storedBytes() throws(RoomError) -> [UInt8] {
        do {
            return try json.canonicalEncoded(for: version)
        } catch {
            throw .invalidEvent("\(error)")
        }
    }
}
