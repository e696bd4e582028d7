import AxonTesting
import Foundation
import MatrixCrypto
import MatrixTypes
import Testing

/// The worker executables against a main process on one PostgreSQL database, as in Synapse's worker mode.
@Suite(.enabled(if: PostgresProcessDatabase.isAvailable, "needs AXON_TEST_POSTGRES (make test starts one)"))
struct WorkerTests {
    struct Topology {
        let directory: URL
        let sharedConfig: String
        let mainURL: String

        func workerConfig(app: String, name: String, port: Int, resources: String = "client, federation") throws -> String {
            let path = directory.appendingPathComponent("\(name).yaml").path
            try """
                worker_app: \(app)
                worker_name: \(name)
                worker_listeners:
                  - {type: http, port: \(port), bind_addresses: ['127.0.0.1'], resources: [{names: [\(resources)]}]}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
    }

    /// Writes the shared config for a main process on `database`, replicating through Redis at `redis` (`host:port`;
    /// the suite's shared one by default).
    static func topology(database: PostgresProcessDatabase, redis: String? = nil) async throws -> Topology {
        let dir = try TestEnvironment.temporaryDirectory("axon-workers")
        let keyPath = dir.appendingPathComponent("signing.key").path
        try SigningKey.keyFileContents([try SigningKey.generate()]).write(toFile: keyPath, atomically: true, encoding: .utf8)
        let mainPort = try await FreePort.next()
        let replicationPort = try await FreePort.next()
        let redis = (redis ?? ProcessInfo.processInfo.environment["AXON_TEST_REDIS"] ?? "127.0.0.1:6379").split(separator: ":")
        let shared = dir.appendingPathComponent("homeserver.yaml").path
        try """
            server_name: workers.test
            listeners:
              - {port: \(mainPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client, federation]}]}
              - {port: \(replicationPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [replication]}]}
            \(database.yaml)
            signing_key_path: \(keyPath)
            media_store_path: \(dir.path)/media
            redis: {enabled: true, host: \(redis[0]), port: \(redis.count > 1 ? String(redis[1]) : "6379")}
            \(HomeserverKind.liftedLimits)
            instance_map:
              main: {host: 127.0.0.1, port: \(replicationPort)}
            """.write(toFile: shared, atomically: true, encoding: .utf8)
        return Topology(directory: dir, sharedConfig: shared, mainURL: "http://127.0.0.1:\(mainPort)")
    }

    @Test func aWorkerStartedBeforeMainWaitsForTheSchemaInsteadOfExiting() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            let topology = try await Self.topology(database: database)
            let readerPort = try await FreePort.next()
            let readerConfig = try topology.workerConfig(app: "synapse.app.generic_worker", name: "reader1", port: readerPort)
            let reader = try ServerProcess(
                executable: "axon-client-reader", arguments: ["-c", topology.sharedConfig, "-c", readerConfig], baseURL: "http://127.0.0.1:\(readerPort)"
            )
            try await reader.whileRunning {
                try await ClientReaderTests.eventually("the reader says it waits") { reader.log.contains("waiting for the main process to migrate") }
                try await Task.sleep(for: .seconds(3))
                #expect(reader.child.isRunning, "still waiting, not exited: \(reader.log)")
                let main = try ServerProcess(executable: "axon", arguments: ["-c", topology.sharedConfig], baseURL: topology.mainURL)
                try await main.whileRunning {
                    try await main.waitUntilHealthy()
                    try await reader.waitUntilReady()
                }
            }
        }
    }

    @Test func clientReaderServesItsRoutesAndRefusesOthers() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            let topology = try await Self.topology(database: database)
            let main = try ServerProcess(executable: "axon", arguments: ["-c", topology.sharedConfig], baseURL: topology.mainURL)
            try await main.whileRunning {
                try await main.waitUntilHealthy()
                let readerPort = try await FreePort.next()
                let readerConfig = try topology.workerConfig(app: "synapse.app.generic_worker", name: "reader1", port: readerPort)
                let reader = try ServerProcess(
                    executable: "axon-client-reader", arguments: ["-c", topology.sharedConfig, "-c", readerConfig], baseURL: "http://127.0.0.1:\(readerPort)"
                )
                try await reader.whileRunning {
                    try await reader.waitUntilHealthy()
                    // Ready once it has heard from main over Redis (a heartbeat every two seconds).
                    try await ClientReaderTests.eventually("the reader is ready") {
                        try await TestHTTP.request("GET", reader.baseURL + "/health/ready").status == 200
                    }
                    let versions = try await TestHTTP.request("GET", reader.baseURL + "/_matrix/client/versions")
                    #expect(versions.status == 200)
                    let elsewhere = try await TestHTTP.request("GET", reader.baseURL + "/_matrix/federation/v1/version")
                    #expect(elsewhere.status == 404)
                    #expect(elsewhere.json?["errcode"] == "M_UNRECOGNIZED")
                }
            }
        }
    }

    /// The media worker serves the media routes on its `media` listener (and reports ready), and refuses others.
    @Test func theMediaWorkerServesMediaAndIsReady() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            let topology = try await Self.topology(database: database)
            let main = try ServerProcess(executable: "axon", arguments: ["-c", topology.sharedConfig], baseURL: topology.mainURL)
            try await main.whileRunning {
                try await main.waitUntilHealthy()
                let port = try await FreePort.next()
                let config = try topology.workerConfig(app: "synapse.app.media_repository", name: "media1", port: port, resources: "media")
                let worker = try ServerProcess(executable: "axon-media", arguments: ["-c", topology.sharedConfig, "-c", config], baseURL: "http://127.0.0.1:\(port)")
                try await worker.whileRunning {
                    try await worker.waitUntilReady()
                    let user = try await SuiteClient.register(topology.mainURL, prefix: "media", recordSecrets: true)
                    let mediaUser = SuiteClient(baseURL: worker.baseURL, userID: user.userID, deviceID: user.deviceID, accessToken: user.accessToken)
                    let (server, id) = try await mediaUser.upload(Array("on the media worker".utf8), contentType: "text/plain")
                    let download = try await mediaUser.media("GET", "/_matrix/client/v1/media/download/\(server)/\(id)")
                    #expect(download.status == 200 && download.body == Array("on the media worker".utf8))
                    let elsewhere = try await TestHTTP.request("GET", worker.baseURL + "/_matrix/client/versions")
                    #expect(elsewhere.status == 404, "a media listener serves no client routes: \(elsewhere.status)")
                }
            }
        }
    }

    @Test func workerConfigsAreCheckedAgainstTheExecutable() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            let topology = try await Self.topology(database: database)
            let port = try await FreePort.next()
            let mediaConfig = try topology.workerConfig(app: "synapse.app.media_repository", name: "media1", port: port)
            let wrong = try await ServerProcess.runToCompletion("axon-client-reader", ["-c", topology.sharedConfig, "-c", mediaConfig])
            #expect(wrong.status != 0)
            #expect(wrong.output.contains("does not match axon-client-reader"), "\(wrong.output)")
            let noWorker = try await ServerProcess.runToCompletion("axon-client-reader", ["-c", topology.sharedConfig])
            #expect(noWorker.status != 0)
            #expect(noWorker.output.contains("worker_app"), "\(noWorker.output)")
            let persisterConfig = try topology.workerConfig(app: "synapse.app.generic_worker", name: "persister9", port: port)
            let unlisted = try await ServerProcess.runToCompletion("axon-event-persister", ["-c", topology.sharedConfig, "-c", persisterConfig])
            #expect(unlisted.status != 0)
            #expect(unlisted.output.contains("stream_writers.events does not list it"), "\(unlisted.output)")
            let workerAsMain = try await ServerProcess.runToCompletion("axon", ["-c", topology.sharedConfig, "-c", mediaConfig])
            #expect(workerAsMain.status != 0)
            #expect(workerAsMain.output.contains("axon-media") || workerAsMain.output.contains("worker"), "\(workerAsMain.output)")
        }
    }
}
