import Testing
import Thumbnails

/// The expected sizes are Synapse's `aspect` and `crop` arithmetic worked by hand (integer division rounding down).
@Suite("Thumbnail sizes in Synapse's arithmetic")
struct ThumbnailGeometryTests {
    @Test func aspectFitsTheBoxOnTheTighterSide() {
        // 320 × 500 < 240 × 1000: width is the tighter side.
        #expect(ThumbnailGeometry.aspect(imageWidth: 1000, imageHeight: 500, boxWidth: 320, boxHeight: 240) == (320, 160))
        #expect(ThumbnailGeometry.aspect(imageWidth: 500, imageHeight: 1000, boxWidth: 320, boxHeight: 240) == (120, 240))
        // 640 × 480 into 320 × 240 is an exact fit; equal products take the height branch.
        #expect(ThumbnailGeometry.aspect(imageWidth: 640, imageHeight: 480, boxWidth: 320, boxHeight: 240) == (320, 240))
        #expect(ThumbnailGeometry.aspect(imageWidth: 333, imageHeight: 100, boxWidth: 100, boxHeight: 100) == (100, 30))
    }

    @Test func aspectNeverGoesBelowOnePixel() {
        #expect(ThumbnailGeometry.aspect(imageWidth: 1, imageHeight: 1000, boxWidth: 32, boxHeight: 32) == (1, 32))
        #expect(ThumbnailGeometry.aspect(imageWidth: 1000, imageHeight: 1, boxWidth: 32, boxHeight: 32) == (32, 1))
    }

    @Test func scaleNeverEnlargesAndCapsEachSideOnItsOwn() {
        #expect(ThumbnailGeometry.scaled(imageWidth: 40, imageHeight: 20, boxWidth: 320, boxHeight: 240) == (40, 20))
        // The fit is 320 × 53; the width is capped at 300 and the height at 50, each against the image.
        #expect(ThumbnailGeometry.scaled(imageWidth: 300, imageHeight: 50, boxWidth: 320, boxHeight: 240) == (300, 50))
        #expect(ThumbnailGeometry.scaled(imageWidth: 1000, imageHeight: 500, boxWidth: 800, boxHeight: 600) == (800, 400))
    }

    @Test func cropCoversTheBoxAndCentresTheCut() {
        #expect(ThumbnailGeometry.crop(imageWidth: 1000, imageHeight: 500, boxWidth: 96, boxHeight: 96)
            == .init(resizedWidth: 192, resizedHeight: 96, left: 48, top: 0))
        #expect(ThumbnailGeometry.crop(imageWidth: 300, imageHeight: 400, boxWidth: 96, boxHeight: 96)
            == .init(resizedWidth: 96, resizedHeight: 128, left: 0, top: 16))
        // 4 × 7 / 3 = 9 (rounded down), and (9 − 4) / 2 = 2.
        #expect(ThumbnailGeometry.crop(imageWidth: 7, imageHeight: 3, boxWidth: 4, boxHeight: 4)
            == .init(resizedWidth: 9, resizedHeight: 4, left: 2, top: 0))
    }

    @Test func cropEnlargesASmallImageAsSynapseDoes() {
        #expect(ThumbnailGeometry.crop(imageWidth: 40, imageHeight: 20, boxWidth: 96, boxHeight: 96)
            == .init(resizedWidth: 192, resizedHeight: 96, left: 48, top: 0))
    }
}
