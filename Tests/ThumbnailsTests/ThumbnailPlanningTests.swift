import Testing
import Thumbnails

@Suite("Which thumbnails an upload gets, as in Synapse")
struct ThumbnailPlanningTests {
    @Test func thumbnailTypesFollowSynapsesMap() {
        for jpeg in ["image/jpeg", "image/jpg", "image/webp", "image/jpeg; charset=binary"] {
            #expect(ThumbnailPlanning.thumbnailContentType(forMediaType: jpeg) == "image/jpeg", "\(jpeg)")
        }
        for png in ["image/png", "image/gif"] {
            #expect(ThumbnailPlanning.thumbnailContentType(forMediaType: png) == "image/png", "\(png)")
        }
        // Synapse looks the type up as given: other types, other spellings and a leading `;` get nothing.
        for none in ["image/svg+xml", "video/mp4", "IMAGE/JPEG", ";image/jpeg", "application/octet-stream"] {
            #expect(ThumbnailPlanning.thumbnailContentType(forMediaType: none) == nil, "\(none)")
        }
    }

    @Test func aLargeImageGetsEveryDefaultSize() {
        let planned = ThumbnailPlanning.pregenerated(forMediaType: "image/jpeg", sizes: ThumbnailSize.defaults, imageWidth: 1000, imageHeight: 500)
        #expect(planned == [
            ThumbnailSpec(width: 32, height: 32, method: .crop, contentType: "image/jpeg"),
            ThumbnailSpec(width: 96, height: 96, method: .crop, contentType: "image/jpeg"),
            ThumbnailSpec(width: 320, height: 160, method: .scale, contentType: "image/jpeg"),
            ThumbnailSpec(width: 640, height: 320, method: .scale, contentType: "image/jpeg"),
            ThumbnailSpec(width: 800, height: 400, method: .scale, contentType: "image/jpeg"),
        ])
    }

    @Test func aSmallImagesScalesCollapseIntoOneAtItsOwnSize() {
        let planned = ThumbnailPlanning.pregenerated(forMediaType: "image/gif", sizes: ThumbnailSize.defaults, imageWidth: 40, imageHeight: 20)
        #expect(planned == [
            ThumbnailSpec(width: 32, height: 32, method: .crop, contentType: "image/png"),
            ThumbnailSpec(width: 96, height: 96, method: .crop, contentType: "image/png"),
            ThumbnailSpec(width: 40, height: 20, method: .scale, contentType: "image/png"),
        ])
    }

    @Test func aScaleOfACropsDimensionsReplacesTheCropInItsPlace() {
        let sizes = [
            ThumbnailSize(width: 100, height: 50, method: .crop), ThumbnailSize(width: 32, height: 32, method: .crop),
            ThumbnailSize(width: 100, height: 100, method: .scale),
        ]
        #expect(ThumbnailPlanning.pregenerated(forMediaType: "image/png", sizes: sizes, imageWidth: 200, imageHeight: 100) == [
            ThumbnailSpec(width: 100, height: 50, method: .scale, contentType: "image/png"),
            ThumbnailSpec(width: 32, height: 32, method: .crop, contentType: "image/png"),
        ])
        // A crop after the scale of its dimensions is not made at all.
        #expect(ThumbnailPlanning.pregenerated(forMediaType: "image/png", sizes: sizes.reversed(), imageWidth: 200, imageHeight: 100) == [
            ThumbnailSpec(width: 100, height: 50, method: .scale, contentType: "image/png"),
            ThumbnailSpec(width: 32, height: 32, method: .crop, contentType: "image/png"),
        ])
    }

    @Test func mediaWithoutThumbnailsGetsNone() {
        #expect(ThumbnailPlanning.requirements(forMediaType: "image/svg+xml", sizes: ThumbnailSize.defaults).isEmpty)
        #expect(ThumbnailPlanning.pregenerated(forMediaType: "text/plain", sizes: ThumbnailSize.defaults, imageWidth: 10, imageHeight: 10).isEmpty)
    }

    @Test func requirementsKeepTheConfiguredBoxes() {
        let requirements = ThumbnailPlanning.requirements(forMediaType: "image/webp", sizes: ThumbnailSize.defaults)
        #expect(requirements.map { ThumbnailSize(width: $0.width, height: $0.height, method: $0.method) } == ThumbnailSize.defaults)
        #expect(requirements.allSatisfy { $0.contentType == "image/jpeg" })
    }
}
