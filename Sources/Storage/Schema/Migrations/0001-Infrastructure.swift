extension Migration {
    /// The tables every stream writer needs: the persisted-up-to position of each writer instance.
    ///
    /// `axon_schema_migrations` itself is created by the migration runner before this runs.
    static let v1Infrastructure = Migration(
        version: 1,
        name: "infrastructure",
        sql: """
            CREATE TABLE stream_positions (
                stream_name TEXT NOT NULL,
                instance_name TEXT NOT NULL,
                position BIGINT NOT NULL,
                PRIMARY KEY (stream_name, instance_name)
            );
            """
    )
}
