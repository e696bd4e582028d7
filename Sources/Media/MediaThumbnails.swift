import Logging
import MatrixTypes
public import Thumbnails
public import Storage

/// Thumbnails of images, ours and cached ones of other servers, made with libvips as Synapse makes them: every
/// configured size when the image arrives, the best of those served for a request, and with `dynamic_thumbnails` the
/// exact size asked for made on demand and kept. `animated=true` of an animated GIF or WebP gets an animated
/// thumbnail, made on demand at the size a static one would have and kept under its own method.
public struct MediaThumbnails: Sendable {
    public struct Settings: Sendable {
        /// `thumbnail_sizes`.
        public var sizes: [ThumbnailSize]
        /// `dynamic_thumbnails`.
        public var dynamic: Bool
        /// `max_image_pixels`: larger images get no thumbnails.
        public var maxImagePixels: Int

        public init(sizes: [ThumbnailSize], dynamic: Bool, maxImagePixels: Int) {
            self.sizes = sizes
            self.dynamic = dynamic
            self.maxImagePixels = maxImagePixels
        }
    }

    let database: any Database
    let files: MediaFiles
    let settings: Settings
    let logger: Logger

    public init(database: any Database, files: MediaFiles, settings: Settings, logger: Logger) {
        self.database = database
        self.files = files
        self.settings = settings
        self.logger = logger
    }

    /// Makes the configured thumbnails of media just stored. An image that cannot be read, or is too large, gets none
    /// (its thumbnail requests then answer that none exists), as in Synapse.
    public func generate(for original: StoredOriginal) async {
        guard ThumbnailPlanning.thumbnailContentType(forMediaType: original.contentType) != nil else { return }
        let source = files.path(of: original.location)
        let info: ImageInfo
        do {
            info = try await ImageProbe.probe(path: source, maxPixels: settings.maxImagePixels)
        } catch {
            logger.info("no thumbnails of \(original.location.relativePath): \(error)")
            return
        }
        let plan = ThumbnailPlanning.pregenerated(
            forMediaType: original.contentType, sizes: settings.sizes, imageWidth: info.width, imageHeight: info.height
        )
        for spec in plan {
            do {
                _ = try await make(spec, of: original, animated: false)
            } catch {
                logger.warning("thumbnail \(spec.width)x\(spec.height) \(spec.method) of \(original.location.relativePath) failed: \(error)")
            }
        }
    }

    /// The dimensions of an image this repository can read (within `max_image_pixels`); `nil` for anything else.
    func dimensions(of original: StoredOriginal) async -> (width: Int, height: Int)? {
        guard let info = try? await ImageProbe.probe(path: files.path(of: original.location), maxPixels: settings.maxImagePixels) else { return nil }
        return (info.width, info.height)
    }

    /// The thumbnail answering a request for `width`×`height` by `method` of `original`.
    func thumbnail(of original: StoredOriginal, _ request: ThumbnailRequest) async throws(MediaError) -> ServedMedia {
        let (width, height, method) = (request.width, request.height, request.method)
        guard let contentType = ThumbnailPlanning.thumbnailContentType(forMediaType: original.contentType) else { throw .cannotThumbnail }
        let stored = try await MediaError.catching {
            try await database.readStatement { connection in try ThumbnailsTable.all(of: original.owner, in: connection) }
        }
        let staticOnes = stored.compactMap { row -> StoredThumbnail? in
            guard let method = ThumbnailMethod(rawValue: row.key.method) else { return nil }
            return StoredThumbnail(spec: ThumbnailSpec(width: row.key.width, height: row.key.height, method: method, contentType: row.key.contentType), length: Int(row.length))
        }
        // The size a static thumbnail would have: the request itself when made on demand, else the best made already.
        var target = ThumbnailSpec(width: width, height: height, method: method, contentType: contentType)
        if !settings.dynamic {
            guard let best = ThumbnailSelection.best(width: width, height: height, method: method, contentType: contentType, among: staticOnes) else {
                throw .cannotThumbnail
            }
            target = best.spec
        }
        if request.animated, ImageFormat(rawValue: String(original.contentType.split(separator: "/").last ?? ""))?.canAnimate == true {
            let key = ThumbnailKey(width: target.width, height: target.height, contentType: original.contentType, method: "animated-\(method.rawValue)")
            if let row = stored.first(where: { $0.key == key }), let served = try await served(row.key, length: row.length, of: original) {
                return served
            }
            return try await make(target, of: original, animated: true)
        }
        let key = ThumbnailKey(width: target.width, height: target.height, contentType: target.contentType, method: target.method.rawValue)
        if let row = stored.first(where: { $0.key == key }), let served = try await served(row.key, length: row.length, of: original) {
            return served
        }
        // Made on demand (dynamic), or made again because its file went missing.
        return try await make(target, of: original, animated: false)
    }

    /// A stored thumbnail whose file is still there.
    private func served(_ key: ThumbnailKey, length: Int64, of original: StoredOriginal) async throws(MediaError) -> ServedMedia? {
        let location = original.thumbnailLocation(key)
        guard (try? await files.size(of: location)) != nil else { return nil }
        return ServedMedia(contentType: key.contentType, length: length, uploadName: nil, files: files, location: location)
    }

    /// Makes one thumbnail, records it, and returns it to serve.
    private func make(_ spec: ThumbnailSpec, of original: StoredOriginal, animated: Bool) async throws(MediaError) -> ServedMedia {
        let method = animated ? "animated-\(spec.method.rawValue)" : spec.method.rawValue
        // An animated thumbnail keeps the original's type; its key says so before it is made.
        var key = ThumbnailKey(width: spec.width, height: spec.height, contentType: animated ? original.contentType : spec.contentType, method: method)
        let location = original.thumbnailLocation(key)
        let made: Thumbnail
        do {
            try await files.prepareDirectory(for: location)
            made = try await Thumbnailer.thumbnail(
                source: files.path(of: original.location), destination: files.path(of: location), width: spec.width, height: spec.height,
                method: spec.method, outputType: spec.contentType, animated: animated, maxPixels: settings.maxImagePixels
            )
        } catch let error as ThumbnailError {
            logger.info("cannot thumbnail \(original.location.relativePath): \(error)")
            throw .cannotThumbnail
        } catch {
            throw .files("\(error)")
        }
        key.contentType = made.contentType
        let finalLocation = original.thumbnailLocation(key)
        if finalLocation != location {
            // An animation that came out as a still frame: stored under the type it has.
            do {
                try await files.move(location, to: finalLocation)
            } catch {
                throw .files("\(error)")
            }
        }
        let row = ThumbnailRow(key: key, length: Int64(made.byteCount))
        try await MediaError.catching {
            try await database.write { transaction in try ThumbnailsTable.insert(row, of: original.owner, in: transaction) }
        }
        return ServedMedia(contentType: made.contentType, length: Int64(made.byteCount), uploadName: nil, files: files, location: finalLocation)
    }
}

extension StoredOriginal {
    /// Where a thumbnail of this media lives.
    func thumbnailLocation(_ key: ThumbnailKey) -> MediaFiles.Location {
        switch owner {
        case .local(let mediaID):
            guard let id = MediaID(mediaID) else { preconditionFailure("stored media has a valid ID") }
            return .localThumbnail(id, key)
        case .remote(let origin, _, let fileID):
            guard let server = try? ServerName(origin), let id = MediaID(fileID) else { preconditionFailure("cached media has a valid origin and file ID") }
            return .remoteThumbnail(server, fileID: id, key)
        }
    }
}
