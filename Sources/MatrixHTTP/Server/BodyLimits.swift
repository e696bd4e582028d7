/// Request body ceilings. JSON bodies get a fixed ceiling generous enough for large to-device batches;
/// uploads follow `max_upload_size`.
public struct BodyLimits: Sendable {
    public var json: Int
    public var upload: Int

    public init(json: Int = 10 * 1024 * 1024, upload: Int) {
        self.json = json
        self.upload = upload
    }

    func limit(for body: BodyShape) -> Int {
        if case .binary = body { upload } else { json }
    }
}
