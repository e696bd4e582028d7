import Federation
import Media
import MatrixTypes
import NIOCore
import NIOHTTP1
import Synchronization

/// Other servers' media, fetched with `/_matrix/federation/v1/media/download/{mediaId}` (`multipart/mixed`), or for a
/// server that does not know that endpoint, the legacy `/_matrix/media/v3/download/{server}/{mediaId}`. The bytes
/// go to the repository's file as they arrive, never more than the limit.
struct FederatedMedia: RemoteMediaSource {
    let client: FederationClient

    /// A whole download may take this long: large media over a slow link outlasts a JSON request's timeout.
    static let timeout = Duration.seconds(300)

    func download(
        _ mediaID: String, from server: ServerName, limit: Int, write: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws(MediaError) -> RemoteMediaHead {
        let current = "/_matrix/federation/v1/media/download/\(mediaID)?timeout_ms=20000"
        switch try await fetch(current, from: server, limit: limit, multipart: true, write: write) {
        case .media(let head):
            return head
        case .unknownEndpoint:
            let legacy = "/_matrix/media/v3/download/\(server.rawValue)/\(mediaID)?allow_remote=false&allow_redirect=true"
            guard case .media(let head) = try await fetch(legacy, from: server, limit: limit, multipart: false, write: write) else {
                throw .notFound
            }
            return head
        }
    }

    private func fetch(
        _ target: String, from server: ServerName, limit: Int, multipart: Bool, write: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws(MediaError) -> FederatedMediaOutcome {
        let answer = MediaAnswer(limit: limit, multipart: multipart)
        do {
            try await client.stream(target, from: server, timeout: Self.timeout) { status, headers in
                try answer.head(status: status, headers: headers)
            } onBody: { chunk in
                for piece in try answer.body(chunk) { try await write(piece) }
            }
        } catch let error as MediaError {
            throw error
        } catch {
            throw .remoteFailure("\(server): \(error)")
        }
        return try answer.outcome()
    }
}

private enum FederatedMediaOutcome {
    case media(RemoteMediaHead)
    /// The server answered as one that predates the federation media endpoints.
    case unknownEndpoint
}

/// One answer as it arrives: a refusal's body is kept (bounded) for its `errcode`, a media answer's bytes are passed
/// on (out of the multipart framing when there is one) and counted against the limit.
private final class MediaAnswer: Sendable {
    private struct State {
        var status = 0
        var head: RemoteMediaHead?
        var reader: MultipartMixedReader?
        var received = 0
        var refusal: [UInt8] = []
    }

    private let limit: Int
    private let multipart: Bool
    private let state = Mutex(State())

    init(limit: Int, multipart: Bool) {
        self.limit = limit
        self.multipart = multipart
    }

    func head(status: Int, headers: HTTPHeaders) throws {
        try state.withLock { state in
            state.status = status
            guard status == 200 else { return }
            let contentType = headers.first(name: "Content-Type") ?? "application/octet-stream"
            if multipart {
                guard let boundary = MultipartMixed.boundary(fromContentType: contentType) else {
                    throw MediaError.remoteFailure("the answer is not multipart/mixed: \(contentType)")
                }
                state.reader = MultipartMixedReader(boundary: boundary)
            } else {
                state.head = RemoteMediaHead(
                    contentType: contentType, fileName: headers.first(name: "Content-Disposition").flatMap(MediaHeaders.fileName(fromDisposition:))
                )
            }
        }
    }

    /// The media bytes in `chunk`, in order.
    func body(_ chunk: ByteBuffer) throws -> [ByteBuffer] {
        try state.withLock { state in
            guard state.status == 200 else {
                if state.refusal.count < 65_536 { state.refusal += chunk.readableBytesView.prefix(65_536 - state.refusal.count) }
                return []
            }
            var pieces: [ByteBuffer] = []
            if var reader = state.reader {
                let events: [MultipartMixedReader.Event]
                do {
                    events = try reader.feed(chunk)
                } catch {
                    throw MediaError.remoteFailure("malformed multipart answer: \(error)")
                }
                state.reader = reader
                for event in events {
                    switch event {
                    case .mediaHead(let headers):
                        guard headers["location"] == nil else { throw MediaError.remoteFailure("the server redirects to another location") }
                        state.head = RemoteMediaHead(
                            contentType: headers["content-type"] ?? "application/octet-stream",
                            fileName: headers["content-disposition"].flatMap(MediaHeaders.fileName(fromDisposition:))
                        )
                    case .mediaBytes(let bytes):
                        pieces.append(bytes)
                    case .end:
                        break
                    }
                }
            } else {
                pieces.append(chunk)
            }
            state.received += pieces.reduce(0) { $0 + $1.readableBytes }
            if state.received > limit { throw MediaError.tooLarge(limit: limit) }
            return pieces
        }
    }

    /// What the whole answer was.
    func outcome() throws(MediaError) -> FederatedMediaOutcome {
        let state = self.state.withLock { $0 }
        switch state.status {
        case 200:
            if let reader = state.reader, !reader.isComplete { throw .remoteFailure("the multipart answer ended early") }
            guard let head = state.head else { throw .remoteFailure("the answer has no media part") }
            return .media(head)
        default:
            let errcode = (try? JSONValue.parse(String(decoding: state.refusal, as: UTF8.self)))?["errcode"]?.stringValue
            // Servers that predate the endpoint answer it as an unknown route (Synapse: 404 or 400 M_UNRECOGNIZED).
            if multipart, errcode == "M_UNRECOGNIZED" || [400, 404, 405, 501].contains(state.status) && errcode == nil { return .unknownEndpoint }
            if state.status == 404 { throw .notFound }
            throw .remoteFailure("answered \(state.status) \(errcode ?? "")")
        }
    }
}
