import CVips

/// What an image's header says, read without decoding its pixels.
public struct ImageInfo: Sendable, Equatable {
    /// The size of one frame as shown, after its EXIF orientation: a photo stored sideways reports its upright size.
    public var width: Int
    public var height: Int
    /// Frames of an animation; 1 for a still image.
    public var pages: Int
    public var format: ImageFormat

    public init(width: Int, height: Int, pages: Int, format: ImageFormat) {
        self.width = width
        self.height = height
        self.pages = pages
        self.format = format
    }

    public var contentType: String { format.contentType }
    public var isAnimated: Bool { pages > 1 }
}

/// Reads image headers, refusing what the thumbnailer would refuse before any pixel is decoded.
public enum ImageProbe {
    /// The header of the image at `path`. Refuses files libvips cannot read, formats other than JPEG, PNG, GIF and
    /// WebP, and images whose frame has `maxPixels` pixels or more (Synapse refuses at `max_image_pixels` too).
    public static func probe(path: String, maxPixels: Int) async throws(ThumbnailError) -> ImageInfo {
        try await Vips.run { () throws(ThumbnailError) in try open(path: path, maxPixels: maxPixels).info }
    }

    /// The checked header and the source it was read from, which the thumbnailer decodes next rather than opening the
    /// file again (blocking; call on the thread pool).
    static func open(path: String, maxPixels: Int) throws(ThumbnailError) -> (source: VipsReference<VipsSource>, info: ImageInfo) {
        guard let sourcePointer = vips_source_new_from_file(path) else { throw .unreadable(Vips.takeError()) }
        let source = VipsReference(sourcePointer)
        guard let loader = vips_foreign_find_load_source(source.pointer) else { throw .unreadable(Vips.takeError()) }
        let nickname = String(cString: vips_nickname_find(g_type_from_name(loader)) ?? loader)
        guard let format = ImageFormat(loader: nickname) else { throw .unsupportedFormat(nickname) }
        guard let headerPointer = axon_vips_open(source.pointer) else { throw .unreadable(Vips.takeError()) }
        let header = VipsReference(headerPointer)
        var width = Int(vips_image_get_width(header.pointer))
        var height = Int(vips_image_get_page_height(header.pointer))
        if width * height >= maxPixels { throw .tooManyPixels(width: width, height: height, limit: maxPixels) }
        if vips_image_get_orientation_swap(header.pointer) != 0 { swap(&width, &height) }
        let info = ImageInfo(width: width, height: height, pages: Int(vips_image_get_n_pages(header.pointer)), format: format)
        return (source, info)
    }
}
