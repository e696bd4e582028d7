#if canImport(Glibc)
import Glibc
#endif
public import MatrixTypes
public import NIOCore
import NIOFileSystem
import Synchronization

/// The files under `media_store_path`, laid out as Synapse lays them out (so an admin's existing store reads the same
/// way): `local_content/ab/cd/efgh…` for an upload `abcdefgh…`, `remote_content/<server>/ab/cd/…` by our own file ID
/// for other servers' media, and thumbnails beside them under `local_thumbnails`/`remote_thumbnail`, one directory per
/// media named by size, type and method. Every file is written under `tmp/` first and renamed into place once
/// complete, so a failed or interrupted write never leaves a partial file where media is read.
public struct MediaFiles: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// Where a file of the store lives, relative to the root.
    public struct Location: Sendable, Hashable {
        let relativePath: String

        public static func local(_ id: MediaID) -> Location {
            Location(relativePath: "local_content/\(sharded(id.rawValue))")
        }

        public static func remote(_ server: ServerName, fileID: MediaID) -> Location {
            Location(relativePath: "remote_content/\(server.rawValue)/\(sharded(fileID.rawValue))")
        }

        public static func localThumbnail(_ id: MediaID, _ thumbnail: ThumbnailKey) -> Location {
            Location(relativePath: "local_thumbnails/\(sharded(id.rawValue))/\(thumbnail.fileName)")
        }

        public static func remoteThumbnail(_ server: ServerName, fileID: MediaID, _ thumbnail: ThumbnailKey) -> Location {
            Location(relativePath: "remote_thumbnail/\(server.rawValue)/\(sharded(fileID.rawValue))/\(thumbnail.fileName)")
        }

        /// The directory of a media's thumbnails, removed with it.
        static func localThumbnails(_ id: MediaID) -> Location {
            Location(relativePath: "local_thumbnails/\(sharded(id.rawValue))")
        }

        static func remoteThumbnails(_ server: ServerName, fileID: MediaID) -> Location {
            Location(relativePath: "remote_thumbnail/\(server.rawValue)/\(sharded(fileID.rawValue))")
        }

        /// `ab/cd/efgh…`: two levels of 2 characters keep directories small. IDs shorter than 5 characters (other
        /// servers' media are stored under IDs of our own, so only a local ID could be short) keep their whole ID last.
        private static func sharded(_ id: String) -> String {
            let characters = Array(id)
            guard characters.count > 4 else { return "_/_/\(id)" }
            return "\(String(characters[0..<2]))/\(String(characters[2..<4]))/\(String(characters[4...]))"
        }
    }

    /// The absolute path of a location.
    public func path(of location: Location) -> String {
        "\(root)/\(location.relativePath)"
    }

    /// Writes what `produce` hands to the function it is given into a file of its own under `tmp/`, returning it with
    /// its size; nothing is where media is read until `place(_:at:)`. On any failure (the producer's own, such as
    /// `M_TOO_LARGE`, or the disk's) the partial file is removed and the error passed on.
    public func stage(
        _ produce: (_ write: @escaping @Sendable (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> StagedFile {
        let fileSystem = FileSystem.shared
        let temporary = FilePath("\(root)/tmp/\(SecureRandom.letters(24))")
        try await fileSystem.createDirectory(at: FilePath("\(root)/tmp"), withIntermediateDirectories: true)
        do {
            let written = try await fileSystem.withFileHandle(forWritingAt: temporary, options: .newFile(replaceExisting: false)) { handle in
                // Chunks come one after the other (each write is awaited), so each goes where the last one ended.
                let end = Mutex<Int64>(0)
                try await produce { chunk in
                    let offset = end.withLock { end in
                        defer { end += Int64(chunk.readableBytes) }
                        return end
                    }
                    try await handle.write(contentsOf: chunk, toAbsoluteOffset: offset)
                }
                // On disk before any row names it, so an acknowledged upload survives a power loss too.
                try await handle.synchronize()
                return end.withLock { $0 }
            }
            return StagedFile(path: temporary.string, length: written)
        } catch {
            _ = try? await fileSystem.removeItem(at: temporary)
            throw error
        }
    }

    /// Makes the directory `location` goes in, before `place(_:at:)` puts a file there.
    public func prepareDirectory(for location: Location) async throws {
        let destination = FilePath(path(of: location))
        try await FileSystem.shared.createDirectory(at: destination.removingLastComponent(), withIntermediateDirectories: true)
    }

    /// Moves a staged file into place, replacing what was there, and makes the move durable: a `rename` and an
    /// `fsync` of the directory, which a database transaction can run (on its own thread, never an event loop) so a
    /// row and its file appear together.
    public func place(_ file: StagedFile, at location: Location) throws(MediaError) {
        let destination = path(of: location)
        guard rename(file.path, destination) == 0 else {
            throw .files("cannot move \(file.path) into place: errno \(errno)")
        }
        let directory = String(destination[..<(destination.lastIndex(of: "/") ?? destination.endIndex)])
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw .files("cannot open \(directory): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw .files("cannot sync \(directory): errno \(errno)") }
    }

    /// Moves a file of the store to another place in it, replacing what was there.
    public func move(_ location: Location, to destination: Location) async throws {
        try await prepareDirectory(for: destination)
        try await FileSystem.shared.replaceItem(at: FilePath(path(of: destination)), withItemAt: FilePath(path(of: location)))
    }

    /// Removes the files under `tmp/` last written before `cutoff` (Unix seconds): writes a process did not live to
    /// finish. Returns how many went.
    public func removeAbandonedStagedFiles(writtenBefore cutoff: Int) async throws -> Int {
        let fileSystem = FileSystem.shared
        let directory = FilePath("\(root)/tmp")
        guard try await fileSystem.info(forFileAt: directory) != nil else { return 0 }
        var abandoned: [FilePath] = []
        try await fileSystem.withDirectoryHandle(atPath: directory) { handle in
            for try await entry in handle.listContents() {
                guard let info = try await fileSystem.info(forFileAt: entry.path), info.lastDataModificationTime.seconds < cutoff else { continue }
                abandoned.append(entry.path)
            }
        }
        for path in abandoned { _ = try? await fileSystem.removeItem(at: path) }
        return abandoned.count
    }

    /// Removes a staged file that will not be placed.
    public func discard(_ file: StagedFile) async {
        _ = try? await FileSystem.shared.removeItem(at: FilePath(file.path))
    }

    /// Hands the file's bytes to `send` in order, 64 KiB at a time: a download holds one chunk, not the file.
    public func read(_ location: Location, send: (ByteBuffer) async throws -> Void) async throws {
        try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path(of: location))) { handle in
            for try await chunk in handle.readChunks(chunkLength: .kibibytes(64)) {
                try await send(chunk)
            }
        }
    }

    /// The file's size, or `nil` when it does not exist.
    public func size(of location: Location) async throws -> Int64? {
        try await FileSystem.shared.info(forFileAt: FilePath(path(of: location))).map { Int64($0.size) }
    }

    /// Removes a file or a directory of thumbnails; one already gone is no error.
    public func remove(_ location: Location) async throws {
        _ = try await FileSystem.shared.removeItem(at: FilePath(path(of: location)), recursively: true)
    }
}

/// What distinguishes a thumbnail of a media from its others: Synapse names the file `<w>-<h>-<top>-<sub>-<method>`.
public struct ThumbnailKey: Sendable, Hashable {
    public var width: Int
    public var height: Int
    /// `image/jpeg`, `image/png`, …
    public var contentType: String
    /// `crop` or `scale`.
    public var method: String

    public init(width: Int, height: Int, contentType: String, method: String) {
        self.width = width
        self.height = height
        self.contentType = contentType
        self.method = method
    }

    var fileName: String {
        "\(width)-\(height)-\(contentType.replacingSlash())-\(method)"
    }
}

extension String {
    fileprivate func replacingSlash() -> String {
        String(map { $0 == "/" ? "-" : $0 })
    }
}

/// A complete file under `tmp/`, not yet where media is read.
public struct StagedFile: Sendable {
    let path: String
    public let length: Int64
}
