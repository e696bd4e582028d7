/// Request body ceilings. JSON bodies get a fixed ceiling generous enough for large to-device batches;
/// uploads follow `max_upload_size`; a route that reads no body refuses any (`413 M_TOO_LARGE`) rather than
/// reading and dropping up to the JSON ceiling.
public struct BodyLimits: Sendable {
    public var json: Int
    public var upload: Int

    public init(json: Int = 10 * 1024 * 1024, upload: Int) {
        self.json = json
        self.upload = upload
    }

    func limit(for body: BodyShape) -> Int {
        switch body {
        case .none: 0
        case .binary: upload
        case .jsonObject, .jsonObjectOrEmpty: json
        }
    }
}
