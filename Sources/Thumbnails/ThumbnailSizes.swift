/// One entry of `thumbnail_sizes`: a box and how to fit the image in it.
public struct ThumbnailSize: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var method: ThumbnailMethod

    public init(width: Int, height: Int, method: ThumbnailMethod) {
        self.width = width
        self.height = height
        self.method = method
    }

    /// Synapse's default `thumbnail_sizes`, which clients expect a server to have made.
    public static let defaults: [ThumbnailSize] = [
        ThumbnailSize(width: 32, height: 32, method: .crop),
        ThumbnailSize(width: 96, height: 96, method: .crop),
        ThumbnailSize(width: 320, height: 240, method: .scale),
        ThumbnailSize(width: 640, height: 480, method: .scale),
        ThumbnailSize(width: 800, height: 600, method: .scale),
    ]
}

/// A thumbnail to make, or one made: its dimensions, method and content type, the key it is stored under.
public struct ThumbnailSpec: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var method: ThumbnailMethod
    public var contentType: String

    public init(width: Int, height: Int, method: ThumbnailMethod, contentType: String) {
        self.width = width
        self.height = height
        self.method = method
        self.contentType = contentType
    }
}

/// A thumbnail already stored, with its length in bytes, which breaks ties when choosing one.
public struct StoredThumbnail: Sendable, Hashable {
    public var spec: ThumbnailSpec
    public var length: Int

    public init(spec: ThumbnailSpec, length: Int) {
        self.spec = spec
        self.length = length
    }
}
