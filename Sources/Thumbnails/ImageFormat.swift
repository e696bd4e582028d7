/// The image formats thumbnails are made from; every other format is refused.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable {
    case jpeg, png, gif, webp

    public var contentType: String { "image/\(rawValue)" }

    /// Whether the format holds animations, which can then be thumbnailed as animations.
    public var canAnimate: Bool { self == .gif || self == .webp }

    /// The format read by a libvips loader, named by its nickname (`jpegload_source`, …).
    init?(loader nickname: String) {
        guard let format = Self.allCases.first(where: { nickname == "\($0.rawValue)load_source" }) else { return nil }
        self = format
    }
}
