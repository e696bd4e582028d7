import HTTPTypes
public import Media
public import MatrixHTTP
import MatrixTypes

/// The content repository: uploads (`/_matrix/media/v3/upload`, `/_matrix/media/v1/create` and the `PUT` that fills a
/// created ID), downloads on the authenticated `/_matrix/client/v1/media` endpoints and the legacy `/_matrix/media/v3`
/// ones, and `/config`. Served by the media role; bodies stream both ways.
public enum MediaRoutes {
    /// - Parameter createLimiter: `rc_media_create`, per user, on `/media/v1/create`.
    public static func routes(_ media: MediaRepository, createLimiter: RateLimiter) -> [Route] {
        uploadRoutes(media, createLimiter: createLimiter) + downloadRoutes(media) + thumbnailRoutes(media) + configRoutes(media)
    }

    static let uploadShape = RequestShape(query: [QueryField("filename", .string, example: "cat.png")], body: .binary)

    private static func uploadRoutes(_ media: MediaRepository, createLimiter: RateLimiter) -> [Route] {
        let upload = mediaPaths("/upload").map { path in
            Route(.post, path, resource: .media, role: .media, auth: .user, shape: uploadShape) { request in
                let uri = try await media.upload(
                    request.uploadBody(), contentType: request.headers[.contentType], fileName: request.query["filename"],
                    by: request.requester.userID
                )
                return .json(["content_uri": .string(uri)])
            }
        }
        let create = Route(.post, "/_matrix/media/v1/create", resource: .media, role: .media, auth: .user, rateLimiter: createLimiter) { request in
            let (uri, expires) = try await media.create(by: request.requester.userID)
            return .json(["content_uri": .string(uri), "unused_expires_at": .integer(expires)])
        }
        let fill = mediaPaths("/upload/{serverName}/{mediaId}").map { path in
            Route(.put, path, resource: .media, role: .media, auth: .user, shape: uploadShape) { request in
                try await media.upload(
                    request.uploadBody(), to: request.pathParameter("mediaId"), on: request.pathParameter("serverName"),
                    contentType: request.headers[.contentType], fileName: request.query["filename"], by: request.requester.userID
                )
                return .json([:])
            }
        }
        return upload + [create] + fill
    }

    static let downloadShape = RequestShape(query: [
        QueryField("timeout_ms", .integer(0...Int64.max), example: "20000"), QueryField("allow_remote", .boolean, example: "true"),
        QueryField("allow_redirect", .boolean, example: "false"),
    ])

    private static func downloadRoutes(_ media: MediaRepository) -> [Route] {
        let templates = ["/download/{serverName}/{mediaId}", "/download/{serverName}/{mediaId}/{fileName}"]
        let authenticated = templates.map { template in
            Route(.get, "/_matrix/client/v1/media\(template)", resource: .media, role: .media, auth: .user, shape: downloadShape) { request in
                try await download(media, request.request, access: .authenticated)
            }
        }
        let legacy = templates.flatMap(mediaPaths).map { path in
            Route(.get, path, resource: .media, role: .media, shape: downloadShape) { request in
                try await download(media, request, access: .legacy(allowRemote: request.query["allow_remote"] != "false"))
            }
        }
        return authenticated + legacy
    }

    private static func download(_ media: MediaRepository, _ request: MatrixRequest, access: MediaAccess) async throws -> MatrixResponse {
        let served = try await media.download(
            server: request.pathParameter("serverName"), mediaID: request.pathParameter("mediaId"), access: access,
            maxWait: waitLimit(request)
        )
        return file(served, fileName: request.pathParameters["fileName"] ?? served.uploadName)
    }

    static let thumbnailShape = RequestShape(query: [
        QueryField("width", .integer(1...Int64(Int32.max)), required: true, example: "96"),
        QueryField("height", .integer(1...Int64(Int32.max)), required: true, example: "96"),
        QueryField("method", .oneOf(["crop", "scale"]), example: "scale"), QueryField("animated", .boolean, example: "false"),
        QueryField("timeout_ms", .integer(0...Int64.max), example: "20000"), QueryField("allow_remote", .boolean, example: "true"),
    ])

    private static func thumbnailRoutes(_ media: MediaRepository) -> [Route] {
        let authenticated = Route(
            .get, "/_matrix/client/v1/media/thumbnail/{serverName}/{mediaId}", resource: .media, role: .media, auth: .user, shape: thumbnailShape
        ) { request in
            try await thumbnail(media, request.request, access: .authenticated)
        }
        let legacy = mediaPaths("/thumbnail/{serverName}/{mediaId}").map { path in
            Route(.get, path, resource: .media, role: .media, shape: thumbnailShape) { request in
                try await thumbnail(media, request, access: .legacy(allowRemote: request.query["allow_remote"] != "false"))
            }
        }
        return [authenticated] + legacy
    }

    private static func thumbnail(_ media: MediaRepository, _ request: MatrixRequest, access: MediaAccess) async throws -> MatrixResponse {
        let served = try await media.thumbnail(
            server: request.pathParameter("serverName"), mediaID: request.pathParameter("mediaId"), size: ThumbnailRequest(
                width: request.query["width"], height: request.query["height"], method: request.query["method"],
                animated: request.query["animated"]
            ),
            access: access, maxWait: waitLimit(request)
        )
        return file(served, fileName: nil)
    }

    /// `timeout_ms`: how long to wait for a created ID's upload (Synapse's default 20 s; the repository caps it).
    static func waitLimit(_ request: MatrixRequest) -> Duration {
        .milliseconds(request.query["timeout_ms"].flatMap { Int64($0) } ?? 20_000)
    }

    /// A stored file as the answer, with the headers that keep active content from running.
    static func file(_ served: ServedMedia, fileName: String?) -> MatrixResponse {
        var headers = HTTPFields()
        for (name, value) in MediaHeaders.common {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[.contentDisposition] = MediaHeaders.contentDisposition(contentType: served.contentType, fileName: fileName)
        let body = StreamedBody(contentType: MediaHeaders.contentType(served.contentType), length: Int(served.length)) { send in
            try await served.send(send)
        }
        return MatrixResponse(body: .stream(body), headers: headers)
    }

    private static func configRoutes(_ media: MediaRepository) -> [Route] {
        (["/_matrix/client/v1/media/config"] + mediaPaths("/config")).map { path in
            Route(.get, path, resource: .media, role: .media, auth: .userOrGuest) { _ in
                .json(["m.upload.size": .integer(Int64(media.settings.maxUploadSize))])
            }
        }
    }

    /// The legacy `/_matrix/media/{r0,v3}` paths of an endpoint.
    static func mediaPaths(_ suffix: String) -> [String] {
        ["r0", "v3"].map { "/_matrix/media/\($0)\(suffix)" }
    }
}

extension MatrixRequest {
    /// The unread upload of a `.binary` route.
    func uploadBody() -> UploadBody {
        guard let upload else { preconditionFailure("route \(route.path) declares no binary body") }
        return upload
    }
}

extension AuthenticatedRequest {
    func uploadBody() throws -> UploadBody {
        request.uploadBody()
    }
}
