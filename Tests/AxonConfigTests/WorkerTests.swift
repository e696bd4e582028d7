import Testing

@testable import AxonConfig

@Suite("Worker mode")
struct WorkerTests {
    /// The shared config of a worker deployment, as in Synapse's worker documentation.
    static let shared = """
        server_name: example.org
        database:
          name: psycopg2
          args: {user: synapse, password: dbpass, database: synapse, host: localhost, cp_min: 5, cp_max: 10}
        listeners:
          - {port: 8008, bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [client, federation]}]}
          - {port: 9093, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [replication]}]}
        redis: {enabled: true}
        worker_replication_secret: replication-secret
        instance_map:
          main: {host: localhost, port: 9093}
          event_persister1: {host: localhost, port: 9094}
        stream_writers:
          events: event_persister1
        federation_sender_instances: [federation_sender1]
        enable_media_repo: false
        media_instance_running_background_jobs: media1

        """

    static let clientReader = """
        worker_app: synapse.app.generic_worker
        worker_name: client_reader1
        worker_log_config: /etc/axon/client_reader1.log.config
        worker_listeners:
          - type: http
            port: 8083
            x_forwarded: true
            resources:
              - names: [client, federation]

        """

    @Test("a worker file merged over the shared config is the worker-mode shape")
    func workerShape() throws {
        let directory = try TemporaryDirectory()
        let shared = try directory.write("homeserver.yaml", Self.shared)
        let worker = try directory.write("workers/client_reader1.yaml", Self.clientReader)
        let loaded = try ConfigLoader.load(paths: [shared, worker])
        #expect(loaded.warnings.isEmpty)
        let config = loaded.config
        #expect(config.worker.isWorker)
        #expect(config.worker.app == .genericWorker)
        #expect(config.worker.name == "client_reader1" && config.worker.instanceName == "client_reader1")
        #expect(config.worker.logConfig == "/etc/axon/client_reader1.log.config")
        #expect(config.listenersToServe == config.worker.listeners)
        #expect(config.listenersToServe.map(\.port) == [8083])
        #expect(config.listenersToServe[0].address == .tcp(port: 8083, bindAddresses: ["::", "0.0.0.0"]))
        #expect(config.listeners.map(\.port) == [8008, 9093], "the main process's listeners stay visible for routing")
        #expect(config.worker.replicationSecret?.revealed == "replication-secret")
        #expect(config.worker.streamWriters.events == ["event_persister1"])
        #expect(config.worker.federationSenderInstances == ["federation_sender1"])
        #expect(!config.media.enableMediaRepo)

        let main = try ConfigLoader.load(paths: [shared]).config
        #expect(!main.worker.isWorker && main.listenersToServe.map(\.port) == [8008, 9093])
    }

    @Test("worker_app synapse.app.homeserver means the main process")
    func homeserverApp() throws {
        let config = try load(Self.shared + "worker_app: synapse.app.homeserver\n").config
        #expect(!config.worker.isWorker && config.worker.name == nil)
    }

    @Test("a worker without a name goes by its worker_app, as in Synapse")
    func unnamedWorker() throws {
        let config = try load(Self.shared + "worker_app: synapse.app.federation_reader\n").config
        #expect(config.worker.app == .federationReader && config.worker.instanceName == "synapse.app.federation_reader")
    }

    @Test("an unknown worker_app is an error listing the known ones")
    func unknownApp() {
        let found = errors(Self.shared + "worker_app: synapse.app.teleporter\n")
        #expect(found.map(\.path) == ["worker_app"])
        #expect(found.first?.message.contains("synapse.app.generic_worker") == true)
    }

    @Test("topology mistakes: main missing from instance_map, unmapped or sharded single writers")
    func topologyMistakes() {
        let found = errors(
            """
            server_name: example.org
            database: {name: psycopg2, args: {database: synapse}}
            redis: {enabled: true}
            worker_app: synapse.app.generic_worker
            worker_name: w1
            instance_map:
              w2: {host: localhost}
            stream_writers:
              events: [ghost]
              typing: [w2, w3]
              receipts: []
              to_devices: main
            """
        )
        #expect(found.map(\.path) == [
            "instance_map.w2.port", "instance_map", "stream_writers.events", "stream_writers.typing", "stream_writers.receipts",
        ])
        #expect(found[1].message == WorkerConfig.missingMainInstanceError)
        #expect(found[2].message == "instance \"ghost\" writes events but does not appear in `instance_map`")
        #expect(found[3].message == "must name exactly one instance; `typing` cannot be sharded")
    }

    @Test("workers need PostgreSQL and Redis")
    func workersNeedSharedServices() {
        let found = errors(minimalYAML + "worker_app: synapse.app.generic_worker\ninstance_map: {main: {host: localhost, port: 9093}}\n")
        #expect(found.map(\.path) == ["database", "redis"])
    }

    @Test("removed replication settings are errors, as in Synapse")
    func removedSettings() {
        let found = errors(
            Self.shared + Self.clientReader + "worker_replication_host: 127.0.0.1\nworker_replication_port: 9092\n"
        )
        #expect(found.map(\.path) == ["worker_replication_host", "worker_replication_port"])
        #expect(found.last?.message == ListenerConfig.directTCPReplicationError)
    }
}
