import AsyncHTTPClient
import AxonConfig
import ClientAPI
import Foundation
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import NIOHTTP1
import Presence

/// A worker's calls to the main process's replication listener (`instance_map.main`), carrying
/// `worker_replication_secret`.
struct MainProcessClient: PresenceForwarding {
    let baseURL: String
    let secret: ReplicationSecret
    let logger: Logger

    init?(config: HomeserverConfig, logger: Logger) {
        guard let location = config.worker.instanceMap[WorkerConfig.mainInstanceName] else { return nil }
        switch location {
        case .tcp(let host, let port, let tls):
            let bracketed = host.contains(":") ? "[\(host)]" : host
            baseURL = "\(tls ? "https" : "http")://\(bracketed):\(port)"
        case .unix(let path):
            baseURL = "http+unix://" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path)
        }
        secret = ReplicationSecret(config.worker.replicationSecret?.revealed)
        self.logger = logger
    }

    func syncing(_ user: UserID, presence: String) async {
        do {
            try await post(ReplicationRoutes.presencePath, ["user_id": .string(user.rawValue), "presence": .string(presence)])
        } catch {
            logger.warning("could not report presence to the main process", metadata: ["error": "\(error)"])
        }
    }

    private func post(_ path: String, _ body: JSONValue) async throws {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authorization = secret.authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else { throw Refused(status: response.status.code, path: path) }
    }

    struct Refused: Error, CustomStringConvertible {
        let status: UInt
        let path: String
        var description: String { "the main process answered \(status) to \(path)" }
    }
}
