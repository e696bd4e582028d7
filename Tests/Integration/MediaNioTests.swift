import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// matrix-nio (`Tests/tools/nio_media.py`) uploads a JPEG, a PNG, an animated GIF and a WebP as one user; another
/// user downloads each and a 96×96 crop and a 320×240 scale of it. Axon must give the bytes back and the thumbnails
/// Synapse gives (same sizes, same types); through the worker cluster, the media worker is killed between the
/// uploads and the downloads and started again, and nothing uploaded is lost.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs matrix-nio and Synapse from PyPI (make venv)"))
struct MediaNioTests {
    static func nio(_ arguments: [String]) async throws -> JSONValue {
        let run = try await CommandRun.run(
            URL(fileURLWithPath: try #require(TestEnvironment.synapsePython)),
            [TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/nio_media.py").path] + arguments
        )
        try #require(run.status == 0, "\(run.output)")
        return try JSONValue.parse(try #require(run.output.split(separator: "\n").last.map(String.init)))
    }

    /// Uploads, then (after `between`) downloads; returns the per-image results after checking the common expectations.
    static func uploadAndFetch(_ baseURL: String, between: () async throws -> Void = {}) async throws -> JSONValue {
        let uploaded = try await nio(["upload", baseURL])
        #expect(uploaded["failures"] == [], "\(uploaded)")
        try await between()
        let state = String(decoding: (uploaded["state"] ?? .null).encoded(), as: UTF8.self)
        let fetched = try await nio(["fetch", baseURL, state])
        #expect(fetched["failures"] == [], "\(fetched)")
        let results = fetched["results"] ?? .null
        for name in ["photo.jpg", "square.png", "moving.gif", "wide.webp"] {
            #expect(results[name]?["same_bytes"] == true, "\(name): \(results)")
            #expect(results[name]?["crop96"]?["width"] == 96 && results[name]?["crop96"]?["height"] == 96, "\(name): \(results)")
        }
        #expect(results["photo.jpg"]?["scale320"] == ["width": 320, "height": 160, "content_type": "image/jpeg"], "\(results)")
        return results
    }

    @Test func imagesAndThumbnailsAsSynapseServesThem() async throws {
        var synapse: JSONValue = .null
        try await HomeserverKind.synapse.run { baseURL, _ in synapse = try await Self.uploadAndFetch(baseURL) }
        try await HomeserverKind.axonSQLite.run { baseURL, _ in
            let axon = try await Self.uploadAndFetch(baseURL)
            for name in ["photo.jpg", "square.png", "moving.gif", "wide.webp"] {
                for thumbnail in ["crop96", "scale320"] {
                    #expect(axon[name]?[thumbnail] == synapse[name]?[thumbnail], "\(name) \(thumbnail): Axon \(axon), Synapse \(synapse)")
                }
            }
        }
    }

    @Test(.enabled(if: WorkerCluster.isAvailable, "needs PostgreSQL, Redis and nginx (make test-deps)"))
    func theMediaWorkerLosesNoUploadWhenKilled() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            try await WorkerCluster.run(database: database, readers: 1, persisters: 0) { cluster in
                var restarted: ServerProcess?
                _ = try await Self.uploadAndFetch(cluster.baseURL) {
                    cluster.media.child.signal(SIGKILL)
                    _ = await cluster.media.child.waitForExit()
                    let media = try cluster.startMedia()
                    restarted = media
                    try await media.waitUntilReady()
                }
                await restarted?.stop()
            }
        }
    }
}
