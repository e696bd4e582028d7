/// Which thumbnails an upload gets, as Synapse decides when media arrives (`_generate_thumbnails`).
public enum ThumbnailPlanning {
    /// The content type of the thumbnails of a media type, or nil when Synapse makes none for it: JPEG for JPEG and
    /// WebP, PNG for PNG and GIF (which can be transparent). Parameters after `;` are ignored; the type is
    /// otherwise compared as given, as Synapse does.
    public static func thumbnailContentType(forMediaType mediaType: String) -> String? {
        let bare = mediaType.firstIndex(of: ";").map { mediaType[..<$0] } ?? mediaType[...]
        switch bare {
        case "image/jpeg", "image/jpg", "image/webp": return "image/jpeg"
        case "image/png", "image/gif": return "image/png"
        default: return nil
        }
    }

    /// One thumbnail per configured size, in the type the media type's thumbnails take; none for other media.
    public static func requirements(forMediaType mediaType: String, sizes: [ThumbnailSize]) -> [ThumbnailSpec] {
        guard let contentType = thumbnailContentType(forMediaType: mediaType) else { return [] }
        return sizes.map { ThumbnailSpec(width: $0.width, height: $0.height, method: $0.method, contentType: contentType) }
    }

    /// The thumbnails to make for an image of the given (EXIF-oriented) size: crops at their configured box, scales
    /// at the size the image actually fits to (never enlarged), so a small image's scale sizes collapse into one.
    /// A crop with the dimensions of a scale is not made twice: the scale takes its place, in the crop's position.
    public static func pregenerated(forMediaType mediaType: String, sizes: [ThumbnailSize], imageWidth: Int, imageHeight: Int) -> [ThumbnailSpec] {
        var planned: [ThumbnailSpec] = []
        var positions: [ThumbnailSpec: Int] = [:]  // keyed with the method set to `.crop`, so either method finds it
        for requirement in requirements(forMediaType: mediaType, sizes: sizes) {
            var spec = requirement
            if requirement.method == .scale {
                (spec.width, spec.height) = ThumbnailGeometry.scaled(
                    imageWidth: imageWidth, imageHeight: imageHeight, boxWidth: requirement.width, boxHeight: requirement.height
                )
            }
            var key = spec
            key.method = .crop
            if let position = positions[key] {
                if spec.method == .scale { planned[position].method = .scale }
            } else {
                positions[key] = planned.count
                planned.append(spec)
            }
        }
        return planned
    }
}
