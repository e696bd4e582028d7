/// Why an image could not be read or thumbnailed. None is worth retrying with the same file and request.
public enum ThumbnailError: Error, Sendable, Equatable {
    /// One frame has at least `limit` pixels (`max_image_pixels`, the guard against decompression bombs),
    /// refused from the header before any pixel is decoded.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The file cannot be opened, or libvips does not recognise it as an image.
    case unreadable(String)
    /// An image in a format other than JPEG, PNG, GIF and WebP: libvips reads many more (SVG, PDF, TIFF, …), but
    /// only those four decoders are exposed to uploads, as Synapse allows Pillow only those.
    case unsupportedFormat(String)
    /// A thumbnail box that is empty, negative, or itself reaches the pixel limit.
    case invalidSize(width: Int, height: Int)
    /// libvips failed while decoding, resizing or writing, or the file could not be put in place.
    case failed(String)
}
