import HTTPTypes
public import Media
public import MatrixHTTP
import MatrixTypes
import NIOCore

/// `/_matrix/federation/v1/media/download/{mediaId}` and `/thumbnail/{mediaId}`: this server's media and its thumbnails for other servers, as `multipart/mixed`
/// (metadata, then the file streamed). Only media uploaded here is served; other servers' media cached here is not
/// passed on. The media role serves it, as Synapse's media worker does.
public enum FederationMediaRoutes {
    static let downloadShape = RequestShape(query: [QueryField("timeout_ms", .integer(0...Int64.max), example: "20000")])

    static let thumbnailShape = RequestShape(query: [
        QueryField("width", .integer(1...Int64(Int32.max)), required: true, example: "96"),
        QueryField("height", .integer(1...Int64(Int32.max)), required: true, example: "96"),
        QueryField("method", .oneOf(["crop", "scale"]), example: "scale"), QueryField("animated", .boolean, example: "false"),
        QueryField("timeout_ms", .integer(0...Int64.max), example: "20000"),
    ])

    public static func routes(_ media: MediaRepository) -> [Route] {
        [
            .federation(.get, "/_matrix/federation/v1/media/download/{mediaId}", resource: .federationMedia, role: .media, shape: downloadShape) {
                request in
                let served = try await media.download(
                    server: media.settings.serverName.rawValue, mediaID: request.request.pathParameter("mediaId"), access: .authenticated,
                    maxWait: .milliseconds(request.request.query["timeout_ms"].flatMap { Int64($0) } ?? 20_000)
                )
                return multipart(served)
            },
            .federation(
                .get, "/_matrix/federation/v1/media/thumbnail/{mediaId}", resource: .federationMedia, role: .media, shape: thumbnailShape
            ) { request in
                let query = request.request.query
                let served = try await media.thumbnail(
                    server: media.settings.serverName.rawValue, mediaID: request.request.pathParameter("mediaId"),
                    size: ThumbnailRequest(width: query["width"], height: query["height"], method: query["method"], animated: query["animated"]),
                    access: .authenticated, maxWait: .milliseconds(query["timeout_ms"].flatMap { Int64($0) } ?? 20_000)
                )
                return multipart(served)
            },
        ]
    }

    /// The media framed as the spec's two parts, its length known before the first byte is sent.
    static func multipart(_ served: ServedMedia) -> MatrixResponse {
        let boundary = SecureRandom.hex(bytes: 16)
        let head = MultipartMixed.head(
            boundary: boundary, contentType: MediaHeaders.contentType(served.contentType),
            disposition: MediaHeaders.contentDisposition(contentType: served.contentType, fileName: served.uploadName)
        )
        let tail = MultipartMixed.tail(boundary: boundary)
        let length = head.readableBytes + Int(served.length) + tail.readableBytes
        return MatrixResponse(
            body: .stream(StreamedBody(contentType: "multipart/mixed; boundary=\(boundary)", length: length) { send in
                try await send(head)
                try await served.send(send)
                try await send(tail)
            })
        )
    }
}
