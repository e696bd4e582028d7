import AxonTesting
import Foundation
import Logging
import Media
import MatrixTypes
import NIOCore
import Storage
import Testing
import Thumbnails

/// The content repository on both engines, against files in a temporary store: a row and its file appear together or
/// not at all, created IDs follow their rules, and the upkeep forgets what expired.
@Suite struct MediaRepositoryTests {
    let alice = try! UserID("@alice:media.test")
    let bob = try! UserID("@bob:media.test")

    func repository(_ database: any Database, root: String, maxUploadSize: Int = 1_000_000, maxPending: Int = 5) -> MediaRepository {
        MediaRepository(
            database: database, files: MediaFiles(root: root),
            thumbnails: MediaThumbnails(
                database: database, files: MediaFiles(root: root),
                settings: .init(sizes: ThumbnailSize.defaults, dynamic: false, maxImagePixels: 32 * 1024 * 1024), logger: Logger(label: "test")
            ),
            settings: MediaSettings(
                serverName: try! ServerName("media.test"), maxUploadSize: maxUploadSize, authenticatedMedia: true, maxPendingUploads: maxPending,
                unusedExpiration: 60_000, blockedOrigins: []
            ),
            remote: nil
        )
    }

    /// `bytes` as an upload arrives: in chunks, failing like the HTTP layer once past `limit`.
    struct Chunks: AsyncSequence, Sendable {
        let bytes: [UInt8]
        let limit: Int

        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: ArraySlice<UInt8>
            var sent = 0
            let limit: Int
            mutating func next() async throws -> ByteBuffer? {
                guard !rest.isEmpty else { return nil }
                let chunk = rest.prefix(10_000)
                rest = rest.dropFirst(chunk.count)
                sent += chunk.count
                if sent > limit { throw MatrixError.tooLarge(limit: limit) }
                return ByteBuffer(bytes: chunk)
            }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: bytes[...], limit: limit) }
    }

    static func collect(_ media: ServedMedia) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await media.send { bytes += $0.readableBytesView }
        return bytes
    }

    static func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []).filter { path in
            var directory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(root)/\(path)", isDirectory: &directory) && !directory.boolValue
        }
    }

    @Test func anUploadComesBackByteForByteAndATooLargeOneLeavesNothing() async throws {
        try await withEachDatabase { database in
            let root = try TestEnvironment.temporaryDirectory("media-store").path
            let media = repository(database, root: root)
            let bytes = (0..<250_000).map { _ in UInt8.random(in: 0...255) }
            let uri = try await media.upload(Chunks(bytes: bytes, limit: 1_000_000), contentType: "image/png", fileName: "a.png", by: alice)
            let id = String(uri.dropFirst("mxc://media.test/".count))
            let served = try await media.download(server: "media.test", mediaID: id, access: .authenticated, maxWait: .zero)
            #expect(served.contentType == "image/png" && served.length == 250_000 && served.uploadName == "a.png")
            #expect(try await Self.collect(served) == bytes)
            await #expect(throws: MediaError.notFound) {
                _ = try await media.download(server: "media.test", mediaID: id, access: .legacy(allowRemote: true), maxWait: .zero)
            }

            let before = Self.files(under: root)
            await #expect(throws: MediaError.tooLarge(limit: 1_000_000)) {
                _ = try await media.upload(Chunks(bytes: [UInt8](repeating: 1, count: 1_000_001), limit: 1_000_000), contentType: nil, fileName: nil, by: alice)
            }
            #expect(Self.files(under: root) == before, "no partial file is left behind")
            for unknown in ["nosuchmedia", "../../etc/passwd", ""] {
                await #expect(throws: MediaError.notFound) {
                    _ = try await media.download(server: "media.test", mediaID: unknown, access: .authenticated, maxWait: .zero)
                }
            }
        }
    }

    @Test func createdIDsAreFilledOnceByTheirCreatorWithinTheLimit() async throws {
        try await withEachDatabase { database in
            let root = try TestEnvironment.temporaryDirectory("media-store").path
            let media = repository(database, root: root, maxPending: 2)
            let first = try await media.create(by: alice)
            _ = try await media.create(by: alice)
            do {
                _ = try await media.create(by: alice)
                Issue.record("a third pending ID was handed out")
            } catch let error {
                guard let error = error as? MediaError, case .tooManyPending(let retry) = error else { throw error }
                #expect(retry > 0 && retry <= 60_000)
            }
            _ = try await media.create(by: bob)
            let id = String(first.uri.dropFirst("mxc://media.test/".count))
            await #expect(throws: MediaError.notYetUploaded) {
                _ = try await media.download(server: "media.test", mediaID: id, access: .authenticated, maxWait: .milliseconds(300))
            }
            await #expect(throws: MediaError.notCreator) {
                try await media.upload(Chunks(bytes: [1], limit: 10), to: id, on: "media.test", contentType: nil, fileName: nil, by: bob)
            }
            try await media.upload(Chunks(bytes: [1, 2, 3], limit: 10), to: id, on: "media.test", contentType: "text/plain", fileName: nil, by: alice)
            await #expect(throws: MediaError.alreadyUploaded) {
                try await media.upload(Chunks(bytes: [4], limit: 10), to: id, on: "media.test", contentType: nil, fileName: nil, by: alice)
            }
            let served = try await media.download(server: "media.test", mediaID: id, access: .authenticated, maxWait: .zero)
            #expect(try await Self.collect(served) == [1, 2, 3])
            await #expect(throws: MediaError.notFound) {
                try await media.upload(Chunks(bytes: [4], limit: 10), to: id, on: "elsewhere.test", contentType: nil, fileName: nil, by: alice)
            }
        }
    }

    @Test func theUpkeepForgetsExpiredCreationsAndOldUploads() async throws {
        try await withEachDatabase { database in
            let root = try TestEnvironment.temporaryDirectory("media-store").path
            let media = repository(database, root: root)
            let pending = try await media.create(by: alice)
            let uri = try await media.upload(Chunks(bytes: [9, 9], limit: 10), contentType: nil, fileName: nil, by: alice)
            let cleanup = MediaCleanup(
                database: database, files: MediaFiles(root: root), lifetimes: .init(unusedCreation: 60_000, remoteMedia: nil, localMedia: 3_600_000),
                logger: Logger(label: "test")
            )
            #expect(try await cleanup.runOnce(now: currentMilliseconds()) == 0, "nothing has expired yet")
            #expect(try await cleanup.runOnce(now: currentMilliseconds() + 120_000) == 1, "the unused creation expired")
            let pendingID = String(pending.uri.dropFirst("mxc://media.test/".count))
            await #expect(throws: MediaError.notFound) {
                try await media.upload(Chunks(bytes: [1], limit: 10), to: pendingID, on: "media.test", contentType: nil, fileName: nil, by: alice)
            }
            #expect(Self.files(under: root).count == 1)
            #expect(try await cleanup.runOnce(now: currentMilliseconds() + 7_200_000) == 1, "the upload outlived local_media_lifetime")
            #expect(Self.files(under: root).isEmpty)
            // A staged file whose writer died: kept for a day, then removed.
            let abandoned = "\(root)/tmp/abandonedupload"
            try Data("partial".utf8).write(to: URL(fileURLWithPath: abandoned))
            _ = try await cleanup.runOnce(now: currentMilliseconds())
            #expect(FileManager.default.fileExists(atPath: abandoned))
            _ = try await cleanup.runOnce(now: currentMilliseconds() + 2 * 86_400_000)
            #expect(!FileManager.default.fileExists(atPath: abandoned))
            await #expect(throws: MediaError.notFound) {
                _ = try await media.download(
                    server: "media.test", mediaID: String(uri.dropFirst("mxc://media.test/".count)), access: .authenticated, maxWait: .zero
                )
            }
        }
    }
}
