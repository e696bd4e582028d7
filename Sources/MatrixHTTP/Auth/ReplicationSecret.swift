public import HTTPTypes
public import MatrixTypes

/// `worker_replication_secret`: what internal requests between Axon's processes carry in
/// `X-Axon-Replication-Secret`. Without one configured the replication listener is trusted as private, as in Synapse.
public struct ReplicationSecret: Sendable {
    private let secret: [UInt8]?

    public init(_ secret: String?) {
        self.secret = secret.map { Array($0.utf8) }
    }

    /// The header value a caller sends, `nil` when no secret is configured.
    public var headerValue: String? {
        secret.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Refuses a request without the secret, comparing in constant time.
    public func check(_ headers: HTTPFields) throws(MatrixError) {
        guard let secret else { return }
        let given = Array((headers[.axonReplicationSecret] ?? "").utf8)
        guard given.count == secret.count, zip(given, secret).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw MatrixError(.forbidden, "Replication requests need the worker_replication_secret.", status: 403)
        }
    }
}
