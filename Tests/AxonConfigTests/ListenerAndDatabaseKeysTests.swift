import Testing

@testable import AxonConfig

@Suite("Listener and database keys")
struct ListenerAndDatabaseKeysTests {
    @Test("listeners: ports, addresses, resources, UNIX sockets and Synapse's bind defaults")
    func listeners() throws {
        let config = try load(
            minimalYAML + """
                listeners:
                  - port: 8008
                    bind_addresses: ['::1', '127.0.0.1']
                    type: http
                    tls: false
                    x_forwarded: true
                    tag: client
                    resources:
                      - names: [client, federation]
                        compress: true
                      - names: [health, static, keys, media, openid, consent, replication, metrics]
                  - port: 9000
                    type: metrics
                  - port: 8448
                    type: http
                    resources: [{names: [federation]}]
                  - path: /run/axon/main.sock
                    type: http
                    resources: [{names: [client]}]
                """
        ).config
        #expect(config.listeners.count == 4)
        let client = config.listeners[0]
        #expect(client.address == .tcp(port: 8008, bindAddresses: ["::1", "127.0.0.1"]))
        #expect(client.port == 8008 && client.type == .http && !client.tls && client.xForwarded && client.tag == "client")
        #expect(client.resources[0] == ListenerConfig.Resource(names: [.client, .federation], compress: true))
        #expect(client.resourceNames == Set(ListenerResource.allCases))
        #expect(client.serves(.staticFiles) && client.serves(.replication))
        #expect(config.listeners[1].address == .tcp(port: 9000, bindAddresses: ["0.0.0.0"]))
        #expect(config.listeners[1].type == .metrics)
        #expect(config.listeners[2].address == .tcp(port: 8448, bindAddresses: ["::", "0.0.0.0"]))
        #expect(!config.listeners[2].xForwarded && !config.listeners[2].serves(.client))
        #expect(config.listeners[3].address == .unix(path: "/run/axon/main.sock", mode: 0o666))
        #expect(config.listeners[3].xForwarded, "UNIX-socket listeners default to trusting the proxy, as in Synapse")
        #expect(config.listenersToServe == config.listeners)
    }

    @Test("database: PostgreSQL with every argument Synapse's docs show")
    func postgres() throws {
        let config = try load(
            """
            server_name: example.org
            database:
              name: psycopg2
              txn_limit: 10000
              allow_unsafe_locale: true
              args:
                user: synapse_user
                password: secretpassword
                dbname: synapse
                host: localhost
                port: 5432
                cp_min: 2
                cp_max: 20
                sslmode: require
                keepalives_idle: 10
            """
        ).config
        guard case .postgres(let postgres) = config.database else {
            Issue.record("expected PostgreSQL, got \(config.database)")
            return
        }
        #expect(postgres.user == "synapse_user")
        #expect(postgres.password?.revealed == "secretpassword")
        #expect(postgres.database == "synapse")
        #expect(postgres.host == "localhost" && postgres.port == 5432)
        #expect(postgres.cpMin == 2 && postgres.cpMax == 20)
        #expect(postgres.transactionLimit == 10000 && postgres.allowUnsafeLocale)
        #expect(postgres.connectionOptions == ["sslmode": "require", "keepalives_idle": "10"])
        #expect(postgres.statementTimeout == 600_000)
    }

    @Test("PostgreSQL pool defaults to 5...10 and takes psycopg2's `database` spelling")
    func postgresDefaults() throws {
        let config = try load("server_name: example.org\ndatabase: {name: psycopg2, args: {database: synapse}}").config
        guard case .postgres(let postgres) = config.database else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(postgres.database == "synapse" && postgres.cpMin == 5 && postgres.cpMax == 10)
        #expect(postgres.user == nil && postgres.password == nil && postgres.port == nil)
    }

    @Test("relative paths resolve against the working directory, as Synapse's do")
    func relativePaths() throws {
        let config = try load(
            """
            server_name: example.org
            pid_file: run/../homeserver.pid
            database: {name: sqlite3, args: {database: data/homeserver.db}}
            media_store_path: ./media
            signing_key_path: keys/example.org.signing.key
            """
        ).config
        #expect(config.server.pidFile == "/srv/axon/homeserver.pid")
        #expect(config.database == .sqlite(SQLiteConfig(path: "/srv/axon/data/homeserver.db")))
        #expect(config.media.storePath == "/srv/axon/media")
        #expect(config.keys.signingKeyPath == "/srv/axon/keys/example.org.signing.key")
    }
}
