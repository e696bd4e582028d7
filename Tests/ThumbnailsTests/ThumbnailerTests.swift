import Testing
import Thumbnails

@Suite("Making thumbnails")
struct ThumbnailerTests {
    static let limit = 32 * 1024 * 1024

    struct Made {
        var thumbnail: Thumbnail
        /// The written file read back.
        var file: ImageInfo
        var fileLength: Int
    }

    /// Makes one thumbnail into a scratch directory and reads the file back; the directory must hold only it.
    static func make(
        _ fixture: String, _ width: Int, _ height: Int, _ method: ThumbnailMethod, as type: String = "image/png", animated: Bool = false,
        maxPixels: Int = limit
    ) async throws -> Made {
        try await Fixtures.withScratchDirectory { directory in
            let destination = "\(directory)/thumbnail"
            let thumbnail = try await Thumbnailer.thumbnail(
                source: Fixtures.path(fixture), destination: destination, width: width, height: height, method: method, outputType: type,
                animated: animated, maxPixels: maxPixels
            )
            #expect(try Fixtures.files(in: directory) == ["thumbnail"])
            let file = try await ImageProbe.probe(path: destination, maxPixels: limit)
            let length = try Fixtures.length(of: destination)
            return Made(thumbnail: thumbnail, file: file, fileLength: length)
        }
    }

    static func expect(_ made: Made, _ width: Int, _ height: Int, _ format: ImageFormat, pages: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(made.thumbnail == Thumbnail(width: width, height: height, pages: pages, contentType: format.contentType, byteCount: made.fileLength),
            sourceLocation: sourceLocation)
        #expect(made.file == ImageInfo(width: width, height: height, pages: pages, format: format), sourceLocation: sourceLocation)
    }

    @Test func aWideJPEGScalesIntoTheBoxKeepingItsAspect() async throws {
        Self.expect(try await Self.make("wide-1000x500.jpg", 320, 240, .scale, as: "image/jpeg"), 320, 160, .jpeg)
        Self.expect(try await Self.make("wide-1000x500.jpg", 800, 600, .scale, as: "image/jpeg"), 800, 400, .jpeg)
    }

    @Test func aWideJPEGCropsToExactlyTheBox() async throws {
        Self.expect(try await Self.make("wide-1000x500.jpg", 96, 96, .crop, as: "image/jpeg"), 96, 96, .jpeg)
        Self.expect(try await Self.make("wide-1000x500.jpg", 32, 32, .crop, as: "image/jpeg"), 32, 32, .jpeg)
    }

    @Test func anyTypeButJPEGGivesPNG() async throws {
        Self.expect(try await Self.make("wide-1000x500.jpg", 320, 240, .scale, as: "image/png"), 320, 160, .png)
        Self.expect(try await Self.make("wide-1000x500.jpg", 320, 240, .scale, as: "image/gif"), 320, 160, .png)
    }

    @Test func theEXIFOrientationIsApplied() async throws {
        // Shown 500 × 1000, so it fits 320 × 240 at 120 × 240, not at the stored pixels' 320 × 160.
        Self.expect(try await Self.make("rotated-1000x500-orientation6.jpg", 320, 240, .scale, as: "image/jpeg"), 120, 240, .jpeg)
        Self.expect(try await Self.make("rotated-1000x500-orientation6.jpg", 100, 40, .crop, as: "image/jpeg"), 100, 40, .jpeg)
    }

    @Test func aPNGWithAlphaScalesAndCrops() async throws {
        Self.expect(try await Self.make("tall-300x400-alpha.png", 320, 240, .scale), 180, 240, .png)
        Self.expect(try await Self.make("tall-300x400-alpha.png", 96, 96, .crop), 96, 96, .png)
        Self.expect(try await Self.make("tall-300x400-alpha.png", 96, 96, .crop, as: "image/jpeg"), 96, 96, .jpeg)
    }

    @Test func scaleNeverEnlargesButCropDoes() async throws {
        Self.expect(try await Self.make("small-40x20.png", 320, 240, .scale), 40, 20, .png)
        Self.expect(try await Self.make("small-40x20.png", 96, 96, .crop), 96, 96, .png)
    }

    @Test func aStillWebPGivesTheRequestedType() async throws {
        Self.expect(try await Self.make("still-640x480.webp", 320, 240, .scale, as: "image/jpeg"), 320, 240, .jpeg)
        Self.expect(try await Self.make("still-640x480.webp", 96, 96, .crop, as: "image/jpeg", animated: true), 96, 96, .jpeg)
    }

    @Test(arguments: [("animated-200x100-3frames.gif", ImageFormat.gif), ("animated-200x100-3frames.webp", .webp)])
    func anAnimationStaysAnimatedWhenAsked(fixture: String, format: ImageFormat) async throws {
        Self.expect(try await Self.make(fixture, 96, 96, .scale, animated: true), 96, 48, format, pages: 3)
        Self.expect(try await Self.make(fixture, 32, 32, .crop, animated: true), 32, 32, format, pages: 3)
    }

    @Test(arguments: ["animated-200x100-3frames.gif", "animated-200x100-3frames.webp"])
    func anAnimationGivesItsFirstFrameOtherwise(fixture: String) async throws {
        Self.expect(try await Self.make(fixture, 96, 96, .scale), 96, 48, .png)
        Self.expect(try await Self.make(fixture, 32, 32, .crop, as: "image/jpeg"), 32, 32, .jpeg)
    }

    /// 3 frames of 200 × 100 are 60,000 pixels: under a limit of 50,000 only the first frame is made.
    @Test func anAnimationOverThePixelLimitAsAWholeGivesItsFirstFrame() async throws {
        Self.expect(try await Self.make("animated-200x100-3frames.gif", 96, 96, .scale, animated: true, maxPixels: 50_000), 96, 48, .png)
        Self.expect(try await Self.make("animated-200x100-3frames.gif", 96, 96, .scale, animated: true, maxPixels: 60_001), 96, 48, .gif, pages: 3)
    }

    @Test func anImageOverThePixelLimitIsRefusedAndNothingIsWritten() async throws {
        try await Fixtures.withScratchDirectory { directory in
            await #expect(throws: ThumbnailError.tooManyPixels(width: 1000, height: 500, limit: 100_000)) {
                try await Thumbnailer.thumbnail(
                    source: Fixtures.path("wide-1000x500.jpg"), destination: "\(directory)/thumbnail", width: 32, height: 32, method: .crop,
                    outputType: "image/jpeg", animated: false, maxPixels: 100_000
                )
            }
            let left = try Fixtures.files(in: directory)
            #expect(left.isEmpty)
        }
    }

    @Test func anUnreadableFileIsRefusedAndNothingIsWritten() async throws {
        try await Fixtures.withScratchDirectory { directory in
            await #expect {
                try await Thumbnailer.thumbnail(
                    source: Fixtures.path("not-an-image.jpg"), destination: "\(directory)/thumbnail", width: 32, height: 32, method: .crop,
                    outputType: "image/jpeg", animated: false, maxPixels: Self.limit
                )
            } throws: { error in
                if case ThumbnailError.unreadable = error { true } else { false }
            }
            let left = try Fixtures.files(in: directory)
            #expect(left.isEmpty)
        }
    }

    @Test(arguments: [(0, 32), (32, -1), (10_000, 10_000)])
    func anEmptyOrHugeBoxIsRefused(width: Int, height: Int) async {
        await #expect(throws: ThumbnailError.invalidSize(width: width, height: height)) {
            try await Thumbnailer.thumbnail(
                source: Fixtures.path("wide-1000x500.jpg"), destination: "/nonexistent/thumbnail", width: width, height: height, method: .scale,
                outputType: "image/jpeg", animated: false, maxPixels: 1_000_000
            )
        }
    }

    @Test func aFailedWriteLeavesNoPartialFile() async throws {
        try await Fixtures.withScratchDirectory { directory in
            // The destination is a directory, so the rename fails after the thumbnail was encoded.
            let destination = "\(directory)/occupied"
            try Fixtures.makeDirectory(destination)
            await #expect {
                try await Thumbnailer.thumbnail(
                    source: Fixtures.path("wide-1000x500.jpg"), destination: destination, width: 32, height: 32, method: .crop,
                    outputType: "image/jpeg", animated: false, maxPixels: Self.limit
                )
            } throws: { error in
                if case ThumbnailError.failed = error { true } else { false }
            }
            #expect(try Fixtures.files(in: directory) == ["occupied"])
        }
    }

    @Test func aThumbnailReplacesAnOlderFile() async throws {
        try await Fixtures.withScratchDirectory { directory in
            let destination = "\(directory)/thumbnail"
            for (width, height) in [(320, 240), (96, 96)] {
                let thumbnail = try await Thumbnailer.thumbnail(
                    source: Fixtures.path("wide-1000x500.jpg"), destination: destination, width: width, height: height, method: .crop,
                    outputType: "image/png", animated: false, maxPixels: Self.limit
                )
                #expect(try Fixtures.length(of: destination) == thumbnail.byteCount)
            }
            #expect(try await ImageProbe.probe(path: destination, maxPixels: Self.limit).width == 96)
            #expect(try Fixtures.files(in: directory) == ["thumbnail"])
        }
    }
}

@Suite("Making thumbnails side by side")
struct ConcurrentThumbnailTests {
    /// libvips is started by whichever call comes first and then shared by the pool's threads.
    @Test func manyThumbnailsAtOnceEachComeOutWhole() async throws {
        let fixtures = ["wide-1000x500.jpg", "tall-300x400-alpha.png", "still-640x480.webp", "animated-200x100-3frames.gif"]
        try await Fixtures.withScratchDirectory { directory in
            let made = try await withThrowingTaskGroup(of: (String, Thumbnail).self) { group in
                for index in 0..<16 {
                    group.addTask {
                        let destination = "\(directory)/\(index)"
                        let thumbnail = try await Thumbnailer.thumbnail(
                            source: Fixtures.path(fixtures[index % fixtures.count]), destination: destination, width: 96, height: 96,
                            method: .crop, outputType: "image/png", animated: true, maxPixels: 32 * 1024 * 1024
                        )
                        return (destination, thumbnail)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(made.count == 16)
            for (destination, thumbnail) in made {
                #expect(thumbnail.width == 96 && thumbnail.height == 96)
                #expect(try await ImageProbe.probe(path: destination, maxPixels: 1_000_000).width == 96)
                #expect(try Fixtures.length(of: destination) == thumbnail.byteCount)
            }
            #expect(try Fixtures.files(in: directory).count == 16)
        }
    }
}

/// The fixtures' red rises left to right (255 × x / width) and green top to bottom, in blocks of 20 pixels.
@Suite("What thumbnails show")
struct ThumbnailContentTests {
    static func pixels(_ fixture: String, _ width: Int, _ height: Int, _ method: ThumbnailMethod) async throws -> Pixels {
        try await Fixtures.withScratchDirectory { directory in
            let destination = "\(directory)/thumbnail"
            _ = try await Thumbnailer.thumbnail(
                source: Fixtures.path(fixture), destination: destination, width: width, height: height, method: method, outputType: "image/png",
                animated: false, maxPixels: 32 * 1024 * 1024
            )
            return try #require(Pixels(path: destination))
        }
    }

    /// 1000 × 500 cropped to 96 × 96 keeps the middle 500 columns: red runs from about a quarter to three quarters.
    @Test func aCropKeepsTheMiddleAcross() async throws {
        let pixels = try await Self.pixels("wide-1000x500.jpg", 96, 96, .crop)
        #expect((40...90).contains(pixels.redGreen(0, 48).red))
        #expect((110...145).contains(pixels.redGreen(48, 48).red))
        #expect((165...215).contains(pixels.redGreen(95, 48).red))
    }

    /// 300 × 400 cropped to 96 × 96 keeps the middle 300 rows: green runs from about an eighth to seven eighths.
    @Test func aCropKeepsTheMiddleDown() async throws {
        let pixels = try await Self.pixels("tall-300x400-alpha.png", 96, 96, .crop)
        #expect((15...55).contains(pixels.redGreen(48, 0).green))
        #expect((110...145).contains(pixels.redGreen(48, 48).green))
        #expect((200...240).contains(pixels.redGreen(48, 95).green))
    }

    /// Orientation 6 shows the stored image turned 90° clockwise: its left column (no red) becomes the top row, its
    /// top row (no green) the right column.
    @Test func theOrientationTurnsThePixels() async throws {
        let pixels = try await Self.pixels("rotated-1000x500-orientation6.jpg", 320, 240, .scale)
        #expect((pixels.width, pixels.height) == (120, 240))
        #expect(pixels.redGreen(60, 0).red < 30)
        #expect(pixels.redGreen(60, 239).red > 220)
        #expect(pixels.redGreen(0, 120).green > 200)
        #expect(pixels.redGreen(119, 120).green < 30)
    }
}
