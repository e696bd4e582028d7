/// How a thumbnail fits its box, as the `method` parameter of the media API names it.
public enum ThumbnailMethod: String, Sendable, Hashable {
    /// Fill the box and cut the overflow off both sides, so the thumbnail is exactly the box.
    case crop
    /// Fit inside the box keeping the aspect ratio, never larger than the image.
    case scale
}
