import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 site on a loopback address, answering from a table of paths and counting the connections it
/// accepted and the requests each path got, so a test can tell whether (and how often) the previewer came.
public final class LoopbackSite: Sendable {
    public struct Page: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// Sent without `Content-Length`, chunk by chunk, so the size is learnt only by reading.
        public var chunked: Bool

        public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = [], chunked: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.chunked = chunked
        }

        public static func html(_ text: String, contentType: String = "text/html; charset=utf-8") -> Page {
            Page(headers: [("Content-Type", contentType)], body: Array(text.utf8))
        }

        public static func redirect(to location: String) -> Page {
            Page(status: 302, headers: [("Location", location)])
        }
    }

    public let host: String
    public let port: Int
    private let state: State
    private let channel: any Channel

    public init(host: String) async throws {
        let state = State()
        let port = try await FreePort.next()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                state.connections.add(1, ordering: .relaxed)
                return child.pipeline.configureHTTPServerPipeline().flatMap {
                    child.pipeline.addHandler(Responder(state: state))
                }
            }
            .bind(host: host, port: port).get()
        self.host = host
        self.port = port
        self.state = state
    }

    deinit {
        channel.close(promise: nil)
    }

    /// `http://host:port` followed by `path`.
    public func url(_ path: String) -> String {
        "http://\(host):\(port)\(path)"
    }

    public func serve(_ path: String, _ page: Page) {
        state.pages.withLock { $0[path] = page }
    }

    public var connections: Int { state.connections.load(ordering: .relaxed) }

    /// Requests for `path` (without its query) so far.
    public func requests(_ path: String) -> Int {
        state.requests.withLock { $0[path, default: 0] }
    }

    /// The request targets received, in order, with their headers.
    public var received: [(target: String, headers: HTTPHeaders)] {
        state.received.withLock { $0 }
    }

    private final class State: Sendable {
        let connections = Atomic<Int>(0)
        let pages = Mutex<[String: Page]>([:])
        let requests = Mutex<[String: Int]>([:])
        let received = Mutex<[(target: String, headers: HTTPHeaders)]>([])
    }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: State

        init(state: State) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            let path = String(head.uri.prefix { $0 != "?" })
            state.requests.withLock { $0[path, default: 0] += 1 }
            state.received.withLock { $0.append((head.uri, head.headers)) }
            let page = state.pages.withLock { $0[path] } ?? Page(status: 404, headers: [("Content-Type", "text/plain")], body: Array("not here".utf8))
            var headers = HTTPHeaders(page.headers)
            headers.add(name: "Connection", value: "close")
            if !page.chunked { headers.add(name: "Content-Length", value: String(page.body.count)) }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: page.status), headers: headers))), promise: nil)
            for start in stride(from: 0, to: page.body.count, by: 1024) {
                let slice = page.body[start..<min(start + 1024, page.body.count)]
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: slice)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        }
    }
}
