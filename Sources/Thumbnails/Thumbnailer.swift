#if canImport(Glibc)
import Glibc
#endif
import CVips

/// A thumbnail written to disk.
public struct Thumbnail: Sendable, Equatable {
    /// The size of one frame.
    public var width: Int
    public var height: Int
    /// Frames: more than 1 only for an animated thumbnail.
    public var pages: Int
    public var contentType: String
    /// The file's length in bytes.
    public var byteCount: Int

    public init(width: Int, height: Int, pages: Int, contentType: String, byteCount: Int) {
        self.width = width
        self.height = height
        self.pages = pages
        self.contentType = contentType
        self.byteCount = byteCount
    }
}

/// Makes thumbnails with libvips the way Synapse makes them with Pillow: the same dimensions, JPEG at quality 80
/// when JPEG is asked for and PNG otherwise, EXIF orientation applied; and, beyond Synapse, animated GIF and WebP
/// thumbnails of animations when asked.
public enum Thumbnailer {
    /// Writes a thumbnail of the image at `source` to `destination` and describes it.
    ///
    /// `scale` fits the image in `width` × `height` keeping its aspect ratio, never enlarging it; `crop` resizes it
    /// to cover the box (enlarging a small image, as Synapse does) and cuts the box from the middle. With
    /// `animated`, an animated GIF or WebP gives a thumbnail of every frame in its own format, unless all its frames
    /// together reach `maxPixels` (then, like everything else, the first frame as `outputType`). The file appears
    /// whole or not at all: it is written beside `destination` and renamed over it.
    public static func thumbnail(
        source: String, destination: String, width: Int, height: Int, method: ThumbnailMethod, outputType: String,
        animated: Bool, maxPixels: Int
    ) async throws(ThumbnailError) -> Thumbnail {
        let box = width.multipliedReportingOverflow(by: height)
        guard width > 0, height > 0, !box.overflow, box.partialValue < maxPixels else { throw .invalidSize(width: width, height: height) }
        return try await Vips.run { () throws(ThumbnailError) in
            let (file, info) = try ImageProbe.open(path: source, maxPixels: maxPixels)
            let frames = animated ? animatedFrames(info, maxPixels: maxPixels) : 1
            let image: VipsReference<VipsImage>
            switch method {
            case .scale:
                let size = ThumbnailGeometry.scaled(imageWidth: info.width, imageHeight: info.height, boxWidth: width, boxHeight: height)
                image = try resize(file, width: size.width, height: size.height, frames: frames)
            case .crop:
                let crop = ThumbnailGeometry.crop(imageWidth: info.width, imageHeight: info.height, boxWidth: width, boxHeight: height)
                let resized = try resize(file, width: crop.resizedWidth, height: crop.resizedHeight, frames: frames)
                image = try cut(resized, frames: frames, pageHeight: crop.resizedHeight, left: crop.left, top: crop.top, width: width, height: height)
            }
            let output: ImageFormat = frames > 1 ? info.format : outputType == ImageFormat.jpeg.contentType ? .jpeg : .png
            let byteCount = try write(image, as: output, to: destination)
            return Thumbnail(
                width: Int(vips_image_get_width(image.pointer)), height: Int(vips_image_get_page_height(image.pointer)), pages: frames,
                contentType: output.contentType, byteCount: byteCount
            )
        }
    }

    /// How many frames an animated thumbnail of the image has: all of an animation whose frames together stay under
    /// the pixel limit (each one decoded costs time), else 1.
    private static func animatedFrames(_ info: ImageInfo, maxPixels: Int) -> Int {
        // One frame is under the limit (the header was checked), so only the multiplication by frames can overflow.
        let total = (info.width * info.height).multipliedReportingOverflow(by: info.pages)
        return info.format.canAnimate && info.isAnimated && !total.overflow && total.partialValue < maxPixels ? info.pages : 1
    }

    /// The image (its first `frames` frames) resized to exactly `width` × `height` a frame, upright.
    private static func resize(_ file: VipsReference<VipsSource>, width: Int, height: Int, frames: Int) throws(ThumbnailError) -> VipsReference<VipsImage> {
        var out: UnsafeMutablePointer<VipsImage>?
        guard axon_vips_thumbnail(file.pointer, &out, Int32(width), Int32(height), frames > 1 ? 1 : 0) == 0, let out else {
            throw .failed(Vips.takeError())
        }
        let image = VipsReference(out)
        let made = (Int(vips_image_get_width(out)), Int(vips_image_get_height(out)))
        guard made == (width, height * frames) else {
            throw .failed("libvips resized to \(made.0)×\(made.1), not \(frames) frame(s) of \(width)×\(height)")
        }
        return image
    }

    /// The `width` × `height` box at (`left`, `top`) of every frame, the frames stacked again as an animation.
    private static func cut(
        _ image: VipsReference<VipsImage>, frames: Int, pageHeight: Int, left: Int, top: Int, width: Int, height: Int
    ) throws(ThumbnailError) -> VipsReference<VipsImage> {
        var pieces: [VipsReference<VipsImage>] = []
        for frame in 0..<frames {
            var out: UnsafeMutablePointer<VipsImage>?
            let frameTop = frame * pageHeight + top
            guard axon_vips_extract_area(image.pointer, &out, Int32(left), Int32(frameTop), Int32(width), Int32(height)) == 0, let out else {
                throw .failed(Vips.takeError())
            }
            pieces.append(VipsReference(out))
        }
        guard frames > 1 else { return pieces[0] }
        var pointers: [UnsafeMutablePointer<VipsImage>?] = pieces.map(\.pointer)
        var stacked: UnsafeMutablePointer<VipsImage>?
        guard axon_vips_stack(&pointers, &stacked, Int32(frames)) == 0, let stacked else { throw .failed(Vips.takeError()) }
        let strip = VipsReference(stacked)
        // The join is shared with nothing yet, but libvips asks for a copy before any metadata is changed.
        var copied: UnsafeMutablePointer<VipsImage>?
        guard axon_vips_copy(strip.pointer, &copied) == 0, let copied else { throw .failed(Vips.takeError()) }
        vips_image_set_int(copied, "page-height", Int32(height))
        return VipsReference(copied)
    }

    /// Encodes the image into a temporary file beside `destination` and renames it into place; its length.
    private static func write(_ image: VipsReference<VipsImage>, as format: ImageFormat, to destination: String) throws(ThumbnailError) -> Int {
        let temporary = "\(destination).\(String(UInt64.random(in: .min ... .max), radix: 16)).partial"
        let saved: Int32 =
            switch format {
            case .jpeg: axon_vips_jpegsave(image.pointer, temporary)
            case .png: axon_vips_pngsave(image.pointer, temporary)
            case .gif: axon_vips_gifsave(image.pointer, temporary)
            case .webp: axon_vips_webpsave(image.pointer, temporary)
            }
        guard saved == 0 else {
            let reason = Vips.takeError()
            unlink(temporary)
            throw .failed(reason)
        }
        var status = stat()
        guard stat(temporary, &status) == 0, rename(temporary, destination) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .failed("\(destination): \(reason)")
        }
        return Int(status.st_size)
    }
}
