public import Logging
import MatrixTypes
public import Storage

/// The media repository's upkeep, run by one process (`media_instance_running_background_jobs`): IDs created for an
/// upload that never came are forgotten once `unused_expiration_time` has passed, and with `media_retention`, other
/// servers' media cached longer than `remote_media_lifetime` and uploads older than `local_media_lifetime` are deleted
/// with their thumbnails, and files left under `tmp/` by a process that died while writing them go after a day. Work goes in batches of 100, rows first, then files, so a file is never read after its row is
/// gone and a failure leaves at worst a file without a row.
public struct MediaCleanup: Sendable {
    public struct Lifetimes: Sendable {
        public var unusedCreation: Int64
        public var remoteMedia: Int64?
        public var localMedia: Int64?

        public init(unusedCreation: Int64, remoteMedia: Int64?, localMedia: Int64?) {
            self.unusedCreation = unusedCreation
            self.remoteMedia = remoteMedia
            self.localMedia = localMedia
        }
    }

    let database: any Database
    let files: MediaFiles
    let lifetimes: Lifetimes
    let logger: Logger

    static let batch = 100
    /// How often the upkeep runs (Synapse's media retention runs hourly, its unused-upload expiry every few minutes).
    public static let interval = Duration.seconds(600)

    public init(database: any Database, files: MediaFiles, lifetimes: Lifetimes, logger: Logger) {
        self.database = database
        self.files = files
        self.lifetimes = lifetimes
        self.logger = logger
    }

    /// Runs the upkeep now and then every `interval` until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await runOnce(now: currentMilliseconds())
            } catch {
                logger.warning("media upkeep failed: \(error)")
            }
            try? await Task.sleep(for: Self.interval)
        }
    }

    /// One pass, as of `now` (ms); returns how many rows went.
    @discardableResult
    public func runOnce(now: Int64) async throws -> Int {
        var removed = 0
        while true {
            let before = now - lifetimes.unusedCreation
            let expired = try await database.write { transaction in
                let ids = try LocalMediaTable.expiredCreations(before: before, limit: Self.batch, in: transaction)
                for id in ids { try LocalMediaTable.delete(id, in: transaction) }
                return ids
            }
            removed += expired.count
            if expired.count < Self.batch { break }
        }
        if let lifetime = lifetimes.remoteMedia {
            removed += try await deleteRemote(cachedBefore: now - lifetime)
        }
        if let lifetime = lifetimes.localMedia {
            removed += try await deleteLocal(uploadedBefore: now - lifetime)
        }
        // An upload is staged for as long as it takes to arrive; a day-old staged file's writer is gone.
        let abandoned = try await files.removeAbandonedStagedFiles(writtenBefore: Int((now - 86_400_000) / 1000))
        if abandoned > 0 { logger.info("removed \(abandoned) upload files abandoned under tmp/") }
        return removed
    }

    private func deleteRemote(cachedBefore before: Int64) async throws -> Int {
        var removed = 0
        while true {
            let gone = try await database.write { transaction in
                let rows = try RemoteMediaTable.cachedBefore(before, limit: Self.batch, in: transaction)
                for (origin, mediaID, fileID) in rows {
                    try RemoteMediaTable.delete(origin: origin, mediaID: mediaID, in: transaction)
                    try ThumbnailsTable.deleteAll(of: .remote(origin: origin, mediaID: mediaID, fileID: fileID), in: transaction)
                }
                return rows.map { RemovedFile(origin: $0.0, fileID: $0.2) }
            }
            for file in gone {
                guard let origin = try? ServerName(file.origin), let fileID = MediaID(file.fileID) else { continue }
                try? await files.remove(.remote(origin, fileID: fileID))
                try? await files.remove(.remoteThumbnails(origin, fileID: fileID))
            }
            removed += gone.count
            if gone.count < Self.batch { return removed }
        }
    }

    private func deleteLocal(uploadedBefore before: Int64) async throws -> Int {
        var removed = 0
        while true {
            let gone = try await database.write { transaction in
                let ids = try LocalMediaTable.uploadedBefore(before, limit: Self.batch, in: transaction)
                for id in ids {
                    try LocalMediaTable.delete(id, in: transaction)
                    try ThumbnailsTable.deleteAll(of: .local(mediaID: id), in: transaction)
                }
                return ids
            }
            for id in gone.compactMap(MediaID.init) {
                try? await files.remove(.local(id))
                try? await files.remove(.localThumbnails(id))
            }
            removed += gone.count
            if gone.count < Self.batch { return removed }
        }
    }
}

private struct RemovedFile: Sendable {
    let origin: String
    let fileID: String
}
