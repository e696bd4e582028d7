public import Replication
public import RoomStore

extension EventWriterPositions {
    /// The positions where `store` writes every room's events (a monolith, or a worker deployment whose main process
    /// is the only events writer).
    public convenience init(soleWriter store: RoomStore) {
        self.init(
            ownership: RoomOwnership(writers: [store.instanceName]),
            writers: [Writer(read: { store.persistedUpTo }, advances: store.positions())]
        )
    }
}
