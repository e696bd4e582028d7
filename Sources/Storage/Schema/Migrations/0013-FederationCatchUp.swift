extension Migration {
    /// What the federation sender must not forget across its own restart:
    /// - `federation_sender_positions`: per sender instance, the events stream position up to which every event has
    ///   been queued for its destinations (and recorded below), where it resumes.
    /// - `federation_destination_rooms`: per destination and room, the newest local event queued for it and the newest
    ///   it acknowledged. Where the first is ahead after a restart, that event is sent again and the destination
    ///   fetches the rest (`get_missing_events`), as Synapse catches a destination up.
    static let v13FederationCatchUp = Migration(
        version: 13,
        name: "federation_catch_up",
        sqlite: federationCatchUpSQL,
        postgres: federationCatchUpSQL
    )

    private static let federationCatchUpSQL = """
        CREATE TABLE federation_sender_positions (
            instance_name TEXT PRIMARY KEY,
            stream_ordering BIGINT NOT NULL
        );
        CREATE TABLE federation_destination_rooms (
            destination TEXT NOT NULL,
            room_id TEXT NOT NULL,
            queued_ordering BIGINT NOT NULL,
            delivered_ordering BIGINT NOT NULL,
            PRIMARY KEY (destination, room_id)
        );
        """
}
