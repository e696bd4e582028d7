/// The sizes Synapse computes for a thumbnail, in its integer arithmetic, so a thumbnail made here has the
/// dimensions Synapse would give it (and clients that ask for a stored size find it).
public enum ThumbnailGeometry {
    /// The largest size with the image's aspect ratio that fits in the box, at least 1 × 1 (Synapse's `aspect`).
    public static func aspect(imageWidth: Int, imageHeight: Int, boxWidth: Int, boxHeight: Int) -> (width: Int, height: Int) {
        if boxWidth * imageHeight < boxHeight * imageWidth {
            return (boxWidth, max(boxWidth * imageHeight / imageWidth, 1))
        }
        return (max(boxHeight * imageWidth / imageHeight, 1), boxHeight)
    }

    /// The size of a `scale` thumbnail: the aspect fit, each side capped at the image's so nothing is enlarged.
    public static func scaled(imageWidth: Int, imageHeight: Int, boxWidth: Int, boxHeight: Int) -> (width: Int, height: Int) {
        let fit = aspect(imageWidth: imageWidth, imageHeight: imageHeight, boxWidth: boxWidth, boxHeight: boxHeight)
        return (min(imageWidth, fit.width), min(imageHeight, fit.height))
    }

    /// How a `crop` thumbnail is made: the image resized (up or down, as Synapse does) until it covers the box on
    /// both sides, then the box cut from its middle, halves rounded down.
    public struct Crop: Sendable, Equatable {
        public var resizedWidth: Int
        public var resizedHeight: Int
        public var left: Int
        public var top: Int

        public init(resizedWidth: Int, resizedHeight: Int, left: Int, top: Int) {
            self.resizedWidth = resizedWidth
            self.resizedHeight = resizedHeight
            self.left = left
            self.top = top
        }
    }

    public static func crop(imageWidth: Int, imageHeight: Int, boxWidth: Int, boxHeight: Int) -> Crop {
        if boxWidth * imageHeight > boxHeight * imageWidth {
            let resizedHeight = boxWidth * imageHeight / imageWidth
            return Crop(resizedWidth: boxWidth, resizedHeight: resizedHeight, left: 0, top: (resizedHeight - boxHeight) / 2)
        }
        let resizedWidth = boxHeight * imageWidth / imageHeight
        return Crop(resizedWidth: resizedWidth, resizedHeight: boxHeight, left: (resizedWidth - boxWidth) / 2, top: 0)
    }
}
