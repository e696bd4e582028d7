import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import URLPreview

/// `GET /_matrix/client/v1/media/preview_url` and the legacy `/_matrix/media/{v3,r0,v1}/preview_url`: a URL's Open
/// Graph tags for registered users (guests are refused, as Synapse's `get_user_by_req` does), served with the media
/// repository. `url` is required; `ts` (Unix milliseconds) asks for the preview as it was then, now by default.
/// Synapse limits no rate here: the cache already lets one fetch serve every request for a URL.
public enum PreviewRoutes {
    static let paths = [
        "/_matrix/client/v1/media/preview_url", "/_matrix/media/v3/preview_url", "/_matrix/media/r0/preview_url", "/_matrix/media/v1/preview_url",
    ]
    static let query = RequestShape(query: [
        QueryField("url", .string, required: true, example: "https://matrix.org/"),
        QueryField("ts", .integer(0...Int64.max), example: "1700000000000"),
    ])

    public static func routes(_ previews: URLPreviewService) -> [Route] {
        paths.map { path in
            Route(.get, path, resource: .media, role: .media, auth: .user, shape: query) { request in
                let url = request.query["url"] ?? ""
                let og = try await previews.preview(url: url, ts: request.query["ts"].flatMap { Int64($0) }, for: request.requester.userID)
                return .json(.object(og))
            }
        }
    }
}
