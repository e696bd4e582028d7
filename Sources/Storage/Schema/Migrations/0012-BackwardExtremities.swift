extension Migration {
    /// `backward_extremities`: events a room's stored history refers to as prev events without holding them in its
    /// timeline (before this server's join to a room held elsewhere, or below the oldest history fetched), with the
    /// depth of the event that refers to them: where `/messages` asks other servers for older history
    /// (`/backfill`). Events stored from that history get negative stream orderings, below every sync position.
    static let v12BackwardExtremities = Migration(
        version: 12,
        name: "backward_extremities",
        sqlite: backwardExtremitiesSQL,
        postgres: backwardExtremitiesSQL
    )

    private static let backwardExtremitiesSQL = """
        CREATE TABLE backward_extremities (
            room_nid BIGINT NOT NULL,
            event_nid BIGINT NOT NULL,
            depth BIGINT NOT NULL,
            PRIMARY KEY (room_nid, event_nid)
        );
        CREATE INDEX backward_extremities_depth ON backward_extremities (room_nid, depth);
        """
}
