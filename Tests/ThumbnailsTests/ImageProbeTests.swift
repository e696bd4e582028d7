import Testing
import Thumbnails

@Suite("Reading image headers")
struct ImageProbeTests {
    static let limit = 32 * 1024 * 1024

    @Test(arguments: [
        ("wide-1000x500.jpg", ImageInfo(width: 1000, height: 500, pages: 1, format: .jpeg)),
        ("rotated-1000x500-orientation6.jpg", ImageInfo(width: 500, height: 1000, pages: 1, format: .jpeg)),
        ("tall-300x400-alpha.png", ImageInfo(width: 300, height: 400, pages: 1, format: .png)),
        ("still-640x480.webp", ImageInfo(width: 640, height: 480, pages: 1, format: .webp)),
        ("animated-200x100-3frames.gif", ImageInfo(width: 200, height: 100, pages: 3, format: .gif)),
        ("animated-200x100-3frames.webp", ImageInfo(width: 200, height: 100, pages: 3, format: .webp)),
    ])
    func headersGiveSizeFramesAndFormat(file: String, expected: ImageInfo) async throws {
        #expect(try await ImageProbe.probe(path: Fixtures.path(file), maxPixels: Self.limit) == expected)
    }

    @Test func contentTypesAreTheFormats() async throws {
        #expect(try await ImageProbe.probe(path: Fixtures.path("animated-200x100-3frames.gif"), maxPixels: Self.limit).contentType == "image/gif")
        #expect(try await ImageProbe.probe(path: Fixtures.path("still-640x480.webp"), maxPixels: Self.limit).contentType == "image/webp")
        #expect(try await ImageProbe.probe(path: Fixtures.path("wide-1000x500.jpg"), maxPixels: Self.limit).contentType == "image/jpeg")
    }

    /// Synapse refuses at `width × height >= max_image_pixels`; 1000 × 500 is 500,000 pixels.
    @Test func thePixelLimitRefusesAtTheLimitAndAcceptsBelowIt() async throws {
        await #expect(throws: ThumbnailError.tooManyPixels(width: 1000, height: 500, limit: 500_000)) {
            try await ImageProbe.probe(path: Fixtures.path("wide-1000x500.jpg"), maxPixels: 500_000)
        }
        #expect(try await ImageProbe.probe(path: Fixtures.path("wide-1000x500.jpg"), maxPixels: 500_001).width == 1000)
    }

    /// An animation is limited by its frame, as Pillow's limit is.
    @Test func thePixelLimitCountsOneFrame() async throws {
        #expect(try await ImageProbe.probe(path: Fixtures.path("animated-200x100-3frames.gif"), maxPixels: 20_001).pages == 3)
    }

    @Test func aFileThatIsNoImageIsUnreadable() async {
        await #expect {
            try await ImageProbe.probe(path: Fixtures.path("not-an-image.jpg"), maxPixels: Self.limit)
        } throws: { error in
            if case ThumbnailError.unreadable = error { true } else { false }
        }
    }

    @Test func aMissingFileIsUnreadable() async {
        await #expect {
            try await ImageProbe.probe(path: Fixtures.path("no-such-file.png"), maxPixels: Self.limit)
        } throws: { error in
            if case ThumbnailError.unreadable = error { true } else { false }
        }
    }

    @Test func anImageOutsideTheFourFormatsIsRefused() async {
        await #expect(throws: ThumbnailError.unsupportedFormat("svgload_source")) {
            try await ImageProbe.probe(path: Fixtures.path("square-64.svg"), maxPixels: Self.limit)
        }
    }
}
