import CVips

/// The decoded pixels of an image file, to check what a thumbnail shows and not only its size.
struct Pixels {
    var width: Int
    var height: Int
    var bands: Int
    var bytes: [UInt8]

    /// Reads an 8-bit image whole; nil when libvips cannot.
    init?(path: String) {
        guard vips_init("tests") == 0, let source = vips_source_new_from_file(path) else { return nil }
        defer { g_object_unref(source) }
        guard let image = axon_vips_open(source) else { return nil }
        defer { g_object_unref(image) }
        guard vips_image_get_format(image) == VIPS_FORMAT_UCHAR else { return nil }
        var size = 0
        guard let memory = vips_image_write_to_memory(image, &size) else { return nil }
        defer { g_free(memory) }
        width = Int(vips_image_get_width(image))
        height = Int(vips_image_get_height(image))
        bands = Int(vips_image_get_bands(image))
        bytes = Array(UnsafeBufferPointer(start: memory.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Red and green of the pixel at (x, y): the fixtures' gradient puts x in red and y in green.
    func redGreen(_ x: Int, _ y: Int) -> (red: Int, green: Int) {
        let offset = (y * width + x) * bands
        return (Int(bytes[offset]), Int(bytes[offset + 1]))
    }
}
