/// Which stored thumbnail answers a request for a size, as Synapse chooses (`_select_thumbnail`), so clients get
/// the thumbnail they would get from Synapse.
public enum ThumbnailSelection {
    /// The best of `stored` for a request, or nil when none was made with the requested method.
    ///
    /// Only thumbnails made with the requested method count. Those at least as large as the request on one side
    /// are preferred to the rest; among a group the winner is the smallest by, in order: for `crop`, how far its
    /// aspect ratio is from the request's, then whether it is smaller on either side, then
    /// |(Δwidth) × (Δheight)|; for `scale`, |(Δwidth) × (Δheight)|; then, for both, a content type other than
    /// the one asked for, then the length in bytes. A tie goes to the thumbnail listed first.
    public static func best(
        width: Int, height: Int, method: ThumbnailMethod, contentType: String, among stored: [StoredThumbnail]
    ) -> StoredThumbnail? {
        var large: (score: [UInt], thumbnail: StoredThumbnail)?
        var small: (score: [UInt], thumbnail: StoredThumbnail)?
        for thumbnail in stored where thumbnail.spec.method == method {
            let spec = thumbnail.spec
            let sizeDistance = product(difference(width, spec.width), difference(height, spec.height)).magnitude
            var score: [UInt] = []
            if method == .crop {
                let aspectDistance = difference(product(width, spec.height), product(height, spec.width)).magnitude
                let smaller: UInt = width <= spec.width && height <= spec.height ? 0 : 1
                score = [aspectDistance, smaller]
            }
            score += [sizeDistance, spec.contentType == contentType ? 0 : 1, UInt(clamping: thumbnail.length)]
            let isLarge = spec.width >= width || spec.height >= height
            if let current = isLarge ? large : small, !score.lexicographicallyPrecedes(current.score) { continue }
            if isLarge { large = (score, thumbnail) } else { small = (score, thumbnail) }
        }
        return (large ?? small)?.thumbnail
    }

    // Synapse computes in Python's unbounded integers; requested sizes come from clients, so these saturate
    // instead of trapping. Only sizes beyond any real image reach the bounds.
    private static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? ((a < 0) == (b < 0) ? .max : .min) : value
    }

    private static func difference(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? (a < b ? .min : .max) : value
    }
}
