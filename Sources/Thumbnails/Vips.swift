import CVips
import NIOPosix

/// libvips as the thumbnailer uses it: started once per process, with its operation cache off, so memory holds only
/// the images being worked on; every call made on NIO's blocking thread pool, as each one blocks.
enum Vips {
    private static let started: Result<Void, ThumbnailError> = {
        guard vips_init("axon") == 0 else { return .failure(.failed("libvips did not start: \(takeError())")) }
        vips_cache_set_max(0)
        vips_cache_set_max_mem(0)
        vips_cache_set_max_files(0)
        return .success(())
    }()

    /// Runs `work` on a thread of the pool, never on an event loop.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(ThumbnailError) -> T) async throws(ThumbnailError) -> T {
        try started.get()
        let result: Result<T, ThumbnailError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive { Result { () throws(ThumbnailError) in try work() } }
        } catch {
            throw .failed("the blocking thread pool is not running: \(error)")
        }
        return try result.get()
    }

    /// The message libvips left for the failure just seen, taken out of its buffer.
    static func takeError() -> String {
        guard let copy = vips_error_buffer_copy() else { return "libvips gave no reason" }
        defer { g_free(copy) }
        let message = String(cString: copy)
        return message.hasSuffix("\n") ? String(message.dropLast()) : message
    }
}

/// A reference to a libvips object (an image or a source), given up when this is dropped.
final class VipsReference<Object> {
    let pointer: UnsafeMutablePointer<Object>

    init(_ pointer: UnsafeMutablePointer<Object>) {
        self.pointer = pointer
    }

    deinit {
        g_object_unref(pointer)
    }
}
