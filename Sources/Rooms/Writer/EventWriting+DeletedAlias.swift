public import MatrixTypes

extension EventWriting {
    /// After `alias` was deleted, the room's `m.room.canonical_alias` stops naming it (Synapse's
    /// `_update_canonical_alias`), sent by `requester` when they may change that event; as in Synapse, the deletion
    /// stands either way. The current event is read through `reader`'s store.
    public func dropDeletedAlias(_ alias: RoomAlias, in roomID: RoomID, requester: UserID, reader: RoomReader) async throws(RoomError) {
        guard let current = try await CanonicalAliasCheck.current(in: roomID, store: reader.store),
            let content = CanonicalAliasCheck.content(current, without: alias)
        else { return }
        let intent = EventIntent(sender: requester, type: CanonicalAliasCheck.key.type, stateKey: "", content: content)
        do {
            _ = try await write(WriteUnit(target: .existing(roomID), intents: [intent]))
        } catch {
            guard case .forbidden = error else { throw error }
        }
    }
}
