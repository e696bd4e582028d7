import AxonConfig
import Foundation
import Logging
import MatrixCrypto
import MatrixHTTP
import Storage

/// Every route this build serves under a config, with its role: the composition `axon` itself would build, over a
/// scratch SQLite database (the table does not depend on data), so `axon routes` never touches the real one; the
/// media routes are listed whether the main process serves them or not.
enum RouteTable {
    static func routes(for config: HomeserverConfig, logger: Logger) async throws -> [Route] {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("axon-routes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var local = config
        local.database = .sqlite(SQLiteConfig(path: scratch.appendingPathComponent("routes.db").path))
        local.redis.enabled = false
        local.worker = WorkerConfig()
        // A main process that leaves media to media workers still lists their routes, which nginx sends to them.
        local.media.enableMediaRepo = true
        let database = try await DatabaseOpener.open(local.database, migrate: true, logger: logger)
        do {
            let composition = try await Composition(
                config: local, role: .main, database: database, signingKey: try SigningKey.generate(), logger: logger
            )
            await database.close()
            return composition.registry.routes
        } catch {
            await database.close()
            throw error
        }
    }
}
