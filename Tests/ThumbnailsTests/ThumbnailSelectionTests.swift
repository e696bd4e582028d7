import Testing
import Thumbnails

/// Expected choices are worked by hand from Synapse's `_select_thumbnail` scores.
@Suite("Choosing a stored thumbnail as Synapse does")
struct ThumbnailSelectionTests {
    static func stored(_ width: Int, _ height: Int, _ method: ThumbnailMethod, _ type: String = "image/jpeg", length: Int = 1000) -> StoredThumbnail {
        StoredThumbnail(spec: ThumbnailSpec(width: width, height: height, method: method, contentType: type), length: length)
    }

    /// The defaults as made for a 1000 × 500 JPEG.
    static let defaults = [
        stored(32, 32, .crop), stored(96, 96, .crop), stored(320, 160, .scale), stored(640, 320, .scale), stored(800, 400, .scale),
    ]

    static func choose(_ width: Int, _ height: Int, _ method: ThumbnailMethod, _ type: String = "image/jpeg", among: [StoredThumbnail] = defaults)
        -> ThumbnailSpec?
    {
        ThumbnailSelection.best(width: width, height: height, method: method, contentType: type, among: among)?.spec
    }

    @Test func anExactCropIsChosen() {
        #expect(Self.choose(32, 32, .crop)?.width == 32)
        #expect(Self.choose(96, 96, .crop)?.width == 96)
    }

    @Test func aCropBetweenSizesTakesTheLargerOne() {
        // 96 × 96 is at least as large; 32 × 32 is not, and the larger group wins.
        #expect(Self.choose(64, 64, .crop)?.width == 96)
    }

    @Test func aCropLargerThanAllTakesTheNearest() {
        // Neither is as large; both have the same aspect ratio, and |(200 − 96)²| < |(200 − 32)²|.
        #expect(Self.choose(200, 200, .crop)?.width == 96)
    }

    @Test func aCropPrefersTheRightAspectRatioToTheRightSize() {
        let among = [Self.stored(96, 48, .crop), Self.stored(400, 400, .crop)]
        #expect(Self.choose(96, 96, .crop, among: among)?.width == 400)
    }

    @Test func aCropPrefersOneNotSmallerOnEitherSide() {
        // Both are as large on one side; 190 × 100 against 200 × 100 is nearer in aspect and not smaller.
        let among = [Self.stored(100, 100, .crop), Self.stored(200, 100, .crop)]
        #expect(Self.choose(190, 100, .crop, among: among)?.width == 200)
    }

    @Test func aScaleTakesTheNearestAtLeastAsLarge() {
        // 320 × 160 is at least as wide as 100: |(100 − 320) × (100 − 160)| = 13,200 is the smallest.
        #expect(Self.choose(100, 100, .scale).map { [$0.width, $0.height] } == [320, 160])
        // |(600 − 640) × (300 − 320)| = 800 beats 800 × 400's 20,000; 320 × 160 is smaller on both sides.
        #expect(Self.choose(600, 300, .scale)?.width == 640)
    }

    @Test func aScaleLargerThanAllTakesTheLargest() {
        // |(1000 − 800) × (1000 − 400)| = 120,000 beats 640 × 320's 244,800.
        #expect(Self.choose(1000, 1000, .scale)?.width == 800)
    }

    @Test func onlyTheRequestedMethodCounts() {
        #expect(Self.choose(32, 32, .scale, among: [Self.stored(32, 32, .crop)]) == nil)
        #expect(Self.choose(320, 160, .crop, among: [Self.stored(320, 160, .scale)]) == nil)
        #expect(Self.choose(32, 32, .crop, among: []) == nil)
    }

    @Test func theRequestedTypeComesBeforeTheLength() {
        let among = [Self.stored(320, 160, .scale, "image/png", length: 10), Self.stored(320, 160, .scale, "image/jpeg", length: 20)]
        #expect(Self.choose(320, 240, .scale, "image/jpeg", among: among)?.contentType == "image/jpeg")
        #expect(Self.choose(320, 240, .scale, "image/png", among: among)?.contentType == "image/png")
    }

    @Test func theShorterFileBreaksATieAndThenTheFirstListed() {
        let shorter = Self.stored(96, 96, .crop, length: 10)
        let longer = Self.stored(96, 96, .crop, length: 20)
        #expect(ThumbnailSelection.best(width: 96, height: 96, method: .crop, contentType: "image/jpeg", among: [longer, shorter]) == shorter)
        let first = Self.stored(96, 96, .crop, "image/png", length: 10)
        let second = Self.stored(96, 96, .crop, "image/gif", length: 10)
        #expect(ThumbnailSelection.best(width: 96, height: 96, method: .crop, contentType: "image/jpeg", among: [first, second]) == first)
        #expect(ThumbnailSelection.best(width: 96, height: 96, method: .crop, contentType: "image/jpeg", among: [second, first]) == second)
    }

    @Test func absurdRequestedSizesDoNotTrap() {
        #expect(Self.choose(.max, .max, .crop) != nil)
        #expect(Self.choose(.min, .max, .scale) != nil)
    }
}
