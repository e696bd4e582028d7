public import MatrixTypes
public import NIOCore
public import Storage
import Synchronization
public import Thumbnails

/// The content repository: uploads streamed to files and recorded, created IDs filled later, and downloads of this
/// server's media or, fetched and cached, other servers'. A row and its file appear together: the file is written
/// aside, then moved into place inside the transaction that records it, so a failure leaves neither.
public final class MediaRepository: Sendable {
    let database: any Database
    let files: MediaFiles
    public let settings: MediaSettings
    private let remote: (any RemoteMediaSource)?
    /// Makes the thumbnails of images once they are stored, and serves them.
    private let thumbnails: MediaThumbnails
    /// Other servers' media being fetched, by origin and ID: concurrent requests for it wait for the one fetch.
    private let fetching = Mutex<[String: Task<RemoteMediaRow, any Error>]>([:])

    /// How long a download waits at most for a created ID's upload, whatever it asks for (Synapse's cap).
    static let maximumUploadWait = Duration.seconds(120)

    public init(
        database: any Database, files: MediaFiles, thumbnails: MediaThumbnails, settings: MediaSettings, remote: (any RemoteMediaSource)?
    ) {
        self.database = database
        self.files = files
        self.settings = settings
        self.thumbnails = thumbnails
        self.remote = remote
    }

    /// Stores an upload under a new ID and returns its `mxc://` URI.
    public func upload<Body: AsyncSequence>(
        _ body: Body, contentType: String?, fileName: String?, by user: UserID
    ) async throws(MediaError) -> String where Body.Element == ByteBuffer {
        let id = MediaID.random()
        let staged = try await stage { write in for try await chunk in body { try await write(chunk) } }
        let row = LocalMediaRow(
            mediaID: id.rawValue, contentType: Self.contentType(contentType), length: staged.length, createdAt: currentMilliseconds(),
            uploadName: Self.uploadName(fileName), userID: user.rawValue, authenticated: settings.authenticatedMedia
        )
        try await record(staged, at: .local(id)) { transaction in try LocalMediaTable.insert(row, in: transaction) }
        await thumbnails.generate(for: StoredOriginal(owner: .local(mediaID: id.rawValue), location: .local(id), contentType: row.contentType ?? ""))
        return id.uri(on: settings.serverName)
    }

    /// Stores bytes fetched by this server itself (a preview's image) as media of `user`'s, marked as URL cache, and
    /// makes its thumbnails; returns its URI and, for an image, its dimensions.
    public func storeFetched(
        _ bytes: ByteBuffer, contentType: String, fileName: String?, by user: UserID
    ) async throws(MediaError) -> (uri: String, width: Int?, height: Int?, length: Int64) {
        let id = MediaID.random()
        let staged = try await stage { write in try await write(bytes) }
        let row = LocalMediaRow(
            mediaID: id.rawValue, contentType: Self.contentType(contentType), length: staged.length, createdAt: currentMilliseconds(),
            uploadName: Self.uploadName(fileName), userID: user.rawValue, authenticated: settings.authenticatedMedia
        )
        try await record(staged, at: .local(id)) { transaction in try LocalMediaTable.insert(row, urlCache: true, in: transaction) }
        let original = StoredOriginal(owner: .local(mediaID: id.rawValue), location: .local(id), contentType: row.contentType ?? "")
        await thumbnails.generate(for: original)
        let image = await thumbnails.dimensions(of: original)
        return (id.uri(on: settings.serverName), image?.width, image?.height, staged.length)
    }

    /// Reserves an ID to upload to later (`/media/v1/create`); returns its URI and when it expires unused (ms).
    public func create(by user: UserID) async throws(MediaError) -> (uri: String, unusedExpiresAt: Int64) {
        let id = MediaID.random()
        let now = currentMilliseconds()
        let expiration = settings.unusedExpiration
        let limit = settings.maxPendingUploads
        let row = LocalMediaRow(
            mediaID: id.rawValue, contentType: nil, length: nil, createdAt: now, uploadName: nil, userID: user.rawValue,
            authenticated: settings.authenticatedMedia
        )
        try await MediaError.catching {
            try await database.write { transaction in
                let pending = try LocalMediaTable.pendingCreations(userID: user.rawValue, since: now - expiration, in: transaction)
                if pending.count >= limit, let oldest = pending.first {
                    throw MediaError.tooManyPending(retryAfterMilliseconds: Int(max(0, oldest + expiration - now)))
                }
                try LocalMediaTable.insert(row, in: transaction)
            }
        }
        return (id.uri(on: settings.serverName), now + expiration)
    }

    /// Fills an ID reserved by `create(by:)`: only its creator may, once, before it expires.
    public func upload<Body: AsyncSequence>(
        _ body: Body, to mediaID: String, on server: String, contentType: String?, fileName: String?, by user: UserID
    ) async throws(MediaError) where Body.Element == ByteBuffer {
        guard server.hasSameBytes(as: settings.serverName.rawValue), let id = MediaID(mediaID) else { throw .notFound }
        let expiration = settings.unusedExpiration
        let pending = try await MediaError.catching {
            try await database.readStatement { connection in try LocalMediaTable.find(id.rawValue, in: connection) }
        }
        guard let pending, pending.createdAt + expiration > currentMilliseconds() || pending.length != nil else { throw .notFound }
        guard pending.userID.hasSameBytes(as: user.rawValue) else { throw .notCreator }
        guard pending.length == nil else { throw .alreadyUploaded }
        let staged = try await stage { write in for try await chunk in body { try await write(chunk) } }
        let type = Self.contentType(contentType)
        let name = Self.uploadName(fileName)
        try await record(staged, at: .local(id)) { transaction in
            guard try LocalMediaTable.fill(id.rawValue, contentType: type, length: staged.length, uploadName: name, in: transaction) else {
                throw MediaError.alreadyUploaded
            }
        }
        await thumbnails.generate(for: StoredOriginal(owner: .local(mediaID: id.rawValue), location: .local(id), contentType: type))
    }

    /// The media `mediaID` of `server`: ours from the store, another server's from the cache or fetched into it. A
    /// created ID not yet uploaded is waited for up to `maxWait` (`M_NOT_YET_UPLOADED` after).
    public func download(
        server: String, mediaID: String, access: MediaAccess, maxWait: Duration
    ) async throws(MediaError) -> ServedMedia {
        if server.hasSameBytes(as: settings.serverName.rawValue) {
            let row = try await localMedia(mediaID, access: access, maxWait: maxWait)
            guard let id = MediaID(row.mediaID), let type = row.contentType, let length = row.length else { throw .notFound }
            return ServedMedia(contentType: type, length: length, uploadName: row.uploadName, files: files, location: .local(id))
        }
        let (row, origin) = try await remoteMedia(server: server, mediaID: mediaID, access: access)
        guard let fileID = MediaID(row.fileID) else { throw .notFound }
        return ServedMedia(
            contentType: row.contentType, length: row.length, uploadName: row.uploadName, files: files, location: .remote(origin, fileID: fileID)
        )
    }

    /// A thumbnail of the media `mediaID` of `server` (fetched first when it is another server's and not cached), as
    /// the spec's `width`, `height`, `method` and `animated` ask.
    public func thumbnail(
        server: String, mediaID: String, size: ThumbnailRequest, access: MediaAccess, maxWait: Duration
    ) async throws(MediaError) -> ServedMedia {
        let original: StoredOriginal
        if server.hasSameBytes(as: settings.serverName.rawValue) {
            let row = try await localMedia(mediaID, access: access, maxWait: maxWait)
            guard let id = MediaID(row.mediaID), let type = row.contentType else { throw .notFound }
            original = StoredOriginal(owner: .local(mediaID: row.mediaID), location: .local(id), contentType: type)
        } else {
            let (row, origin) = try await remoteMedia(server: server, mediaID: mediaID, access: access)
            guard let fileID = MediaID(row.fileID) else { throw .notFound }
            original = StoredOriginal(
                owner: .remote(origin: row.origin, mediaID: row.mediaID, fileID: row.fileID), location: .remote(origin, fileID: fileID),
                contentType: row.contentType
            )
        }
        return try await thumbnails.thumbnail(of: original, size)
    }

    /// An upload of ours that may be served where `access` asks, waiting for a created ID's upload.
    func localMedia(_ mediaID: String, access: MediaAccess, maxWait: Duration) async throws(MediaError) -> LocalMediaRow {
        guard let id = MediaID(mediaID) else { throw .notFound }
        let deadline = ContinuousClock.now + min(maxWait, Self.maximumUploadWait)
        while true {
            let row = try await MediaError.catching {
                try await database.readStatement { connection in try LocalMediaTable.find(id.rawValue, in: connection) }
            }
            guard let row, servable(authenticated: row.authenticated, via: access) else { throw .notFound }
            if row.length != nil { return row }
            guard row.createdAt + settings.unusedExpiration > currentMilliseconds() else { throw .notFound }
            guard ContinuousClock.now < deadline else { throw .notYetUploaded }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Another server's media from the cache, or fetched into it when `access` allows.
    func remoteMedia(server: String, mediaID: String, access: MediaAccess) async throws(MediaError) -> (RemoteMediaRow, ServerName) {
        guard let origin = try? ServerName(server), Self.isSafeDirectoryName(origin), MediaID(mediaID) != nil else { throw .notFound }
        let cached = try await MediaError.catching {
            try await database.readStatement { connection in try RemoteMediaTable.find(origin: origin.rawValue, mediaID: mediaID, in: connection) }
        }
        if let cached {
            guard servable(authenticated: cached.authenticated, via: access) else { throw .notFound }
            return (cached, origin)
        }
        switch access {
        case .legacy(let allowRemote):
            // With authenticated media on, the legacy endpoints fetch nothing new (as Synapse).
            guard allowRemote, !settings.authenticatedMedia else { throw .notFound }
        case .authenticated:
            break
        }
        guard !settings.blockedOrigins.contains(where: { $0.hasSameBytes(as: origin.rawValue) }), let remote else { throw .notFound }
        let key = "\(origin.rawValue)/\(mediaID)"
        let authenticated = access == .authenticated
        let fetch = fetching.withLock { running in
            if let fetch = running[key] { return fetch }
            // Runs to the end even if the request that started it goes away: the media lands in the cache for the next.
            let started = Task { [self] () async throws -> RemoteMediaRow in
                defer { _ = self.fetching.withLock { $0.removeValue(forKey: key) } }
                return try await self.fetch(mediaID, from: origin, source: remote, authenticated: authenticated)
            }
            running[key] = started
            return started
        }
        do {
            return (try await fetch.value, origin)
        } catch {
            throw MediaError(wrapping: error)
        }
    }

    private func fetch(_ mediaID: String, from origin: ServerName, source: any RemoteMediaSource, authenticated: Bool) async throws(MediaError) -> RemoteMediaRow {
        let limit = settings.maxUploadSize
        var head: RemoteMediaHead?
        let staged: StagedFile
        do {
            staged = try await files.stage { write in
                head = try await source.download(mediaID, from: origin, limit: limit, write: write)
            }
        } catch let error as MediaError {
            throw error
        } catch {
            throw .files("\(error)")
        }
        guard let head else { throw .remoteFailure("no answer") }
        let fileID = MediaID.random()
        let row = RemoteMediaRow(
            origin: origin.rawValue, mediaID: mediaID, contentType: Self.contentType(head.contentType), length: staged.length,
            uploadName: Self.uploadName(head.fileName), createdAt: currentMilliseconds(), fileID: fileID.rawValue, authenticated: authenticated
        )
        let stored = try await record(staged, at: .remote(origin, fileID: fileID)) { transaction in
            // A concurrent request cached it first: keep that one (this file is then placed under an unused ID and
            // removed below).
            if try RemoteMediaTable.insert(row, in: transaction) { return row }
            return try RemoteMediaTable.find(origin: origin.rawValue, mediaID: mediaID, in: transaction) ?? row
        }
        if stored.fileID != row.fileID {
            try? await files.remove(.remote(origin, fileID: fileID))
        } else {
            await thumbnails.generate(for: 
                StoredOriginal(
                    owner: .remote(origin: origin.rawValue, mediaID: mediaID, fileID: fileID.rawValue), location: .remote(origin, fileID: fileID),
                    contentType: row.contentType
                )
            )
        }
        return stored
    }

    /// Whether media marked `authenticated` may be served through `access`.
    private func servable(authenticated: Bool, via access: MediaAccess) -> Bool {
        access == .authenticated || !authenticated
    }

    /// Writes what `produce` hands over into a staged file, mapping an upload over the limit to `MediaError.tooLarge`
    /// and file-system failures to `MediaError.files`.
    private func stage(
        _ produce: (_ write: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws(MediaError) -> StagedFile {
        do {
            return try await files.stage(produce)
        } catch let error as MatrixError where error.code == .tooLarge {
            throw .tooLarge(limit: settings.maxUploadSize)
        } catch let error as MediaError {
            throw error
        } catch {
            throw .files("\(error)")
        }
    }

    /// Moves `staged` to `location` inside the transaction that runs `recordRow`; on any failure the file is removed.
    @discardableResult
    private func record<T: Sendable>(
        _ staged: StagedFile, at location: MediaFiles.Location, _ recordRow: @escaping @Sendable (any Transaction) throws -> T
    ) async throws(MediaError) -> T {
        let files = self.files
        do {
            try await files.prepareDirectory(for: location)
            return try await MediaError.catching {
                try await database.write { transaction in
                    let recorded = try recordRow(transaction)
                    try files.place(staged, at: location)
                    return recorded
                }
            }
        } catch {
            await files.discard(staged)
            throw MediaError(wrapping: error)
        }
    }

    /// `application/octet-stream` when the client named none (as Synapse); at most 255 bytes.
    static func contentType(_ given: String?) -> String {
        guard let given, !given.isEmpty, given.utf8.count <= 255 else { return "application/octet-stream" }
        return given
    }

    /// The file name given, if it is one: not empty and at most 255 bytes.
    static func uploadName(_ given: String?) -> String? {
        guard let given, !given.isEmpty, given.utf8.count <= 255 else { return nil }
        return given
    }

    /// A server name that can be a directory under `remote_content` (never `.`, `..` or hidden).
    static func isSafeDirectoryName(_ server: ServerName) -> Bool {
        !server.rawValue.hasPrefix(".") && !server.rawValue.contains("..") && !server.rawValue.contains("/")
    }
}

/// Media just recorded, of ours or cached of another server, for the work that follows (thumbnails).
public struct StoredOriginal: Sendable {
    let owner: ThumbnailsTable.Owner
    let location: MediaFiles.Location
    let contentType: String
}

/// What a thumbnail request asks for (`width`, `height`, `method`, `animated`).
public struct ThumbnailRequest: Sendable {
    public var width: Int
    public var height: Int
    public var method: ThumbnailMethod
    public var animated: Bool

    public init(width: Int, height: Int, method: ThumbnailMethod, animated: Bool) {
        self.width = width
        self.height = height
        self.method = method
        self.animated = animated
    }

    /// From query parameters a route's shape has checked (`method` `scale` unless `crop`, `animated` only if `true`).
    public init(width: String?, height: String?, method: String?, animated: String?) {
        self.init(
            width: width.flatMap { Int($0) } ?? 1, height: height.flatMap { Int($0) } ?? 1, method: method == "crop" ? .crop : .scale,
            animated: animated == "true"
        )
    }
}
