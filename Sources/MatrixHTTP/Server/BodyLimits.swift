/// Request body ceilings. JSON bodies get a fixed ceiling generous enough for large to-device batches;
/// uploads follow `max_upload_size`; a route that reads no body reads at most ``bodilessCeiling`` bytes (room
/// for the `{}` many clients send with every POST) rather than reading and dropping up to the JSON ceiling.
public struct BodyLimits: Sendable {
    public var json: Int
    public var upload: Int

    public init(json: Int = 10 * 1024 * 1024, upload: Int) {
        self.json = json
        self.upload = upload
    }

    /// What a route without a body still reads: an empty JSON object with some whitespace.
    static let bodilessCeiling = 64

    func limit(for body: BodyShape) -> Int {
        switch body {
        case .none: Self.bodilessCeiling
        case .binary: upload
        case .jsonObject, .jsonObjectOrEmpty: json
        }
    }
}
