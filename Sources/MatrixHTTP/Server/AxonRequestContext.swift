public import Hummingbird
import NIOCore

/// The per-request context Hummingbird hands to the responder; it only needs the peer address,
/// everything Matrix-specific is carried by `MatrixRequest`.
public struct AxonRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
