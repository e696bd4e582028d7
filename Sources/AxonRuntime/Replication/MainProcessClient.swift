import AsyncHTTPClient
import AxonConfig
import ClientAPI
import FederationAPI
import HTTPTypes
import Logging
import MatrixHTTP
import MatrixTypes
import NIOCore
import NIOHTTP1
import Presence
import Replication
import RoomFederation

/// A worker's calls to the main process's replication listener (`instance_map.main`), carrying
/// `worker_replication_secret`: syncing users' presence, the EDUs of transactions a federation receiver answered, and
/// client requests for the main process's routes.
struct MainProcessClient: PresenceForwarding, RequestForwarding, EDUReceiving {
    let baseURL: String
    let secret: ReplicationSecret
    /// Where this worker learns the main process's positions, to answer a forwarded write only once it can read it.
    let follower: StreamFollower?
    let logger: Logger

    /// How long a forwarded write's answer waits for this worker to see it; then it answers anyway.
    static let readYourWritesWait: Duration = .seconds(5)
    /// The largest answer taken from the main process.
    static let answerLimit = 64 * 1024 * 1024

    init?(config: HomeserverConfig, follower: StreamFollower?, logger: Logger) {
        guard let location = config.worker.instanceMap[WorkerConfig.mainInstanceName] else { return nil }
        baseURL = location.baseURL
        secret = ReplicationSecret(config.worker.replicationSecret?.revealed)
        self.follower = follower
        self.logger = logger
    }

    func syncing(_ user: UserID, presence: String) async {
        await post(["user_id": .string(user.rawValue), "presence": .string(presence)], to: ReplicationRoutes.presencePath, "a presence report")
    }

    /// The EDUs of a transaction this federation receiver answered, for the main process to take.
    func take(_ edus: [JSONValue], from origin: ServerName) async {
        await post(["origin": .string(origin.rawValue), "edus": .array(edus)], to: ForwardedEDURoutes.path, "a transaction's EDUs")
    }

    /// Posts `body` to the main process; a failure is logged (what is posted is replaced by what comes next, but for
    /// to-device messages, which are then lost, as when Synapse's receiver cannot reach their writer).
    private func post(_ body: JSONValue, to path: String, _ what: String) async {
        do {
            var request = request(path, method: .POST)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 64 * 1024)
            if response.status != .ok { logger.warning("the main process refused \(what)", metadata: ["status": "\(response.status.code)"]) }
        } catch {
            logger.warning("could not hand \(what) to the main process", metadata: ["error": "\(error)"])
        }
    }

    func forward(_ forwarded: ForwardedRequest) async throws -> MatrixResponse {
        var request = request(forwarded.target, method: HTTPMethod(rawValue: forwarded.method.rawValue))
        request.headers.add(name: "X-Axon-Forwarded", value: "1")
        request.headers.add(name: "X-Forwarded-For", value: forwarded.clientAddress)
        if let authorization = forwarded.authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let contentType = forwarded.contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if forwarded.body.readableBytes > 0 { request.body = .bytes(forwarded.body) }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
            body = try await response.body.collect(upTo: Self.answerLimit)
        } catch {
            logger.warning("could not forward a request to the main process", metadata: ["error": "\(error)"])
            throw MatrixError.unavailable("The server is temporarily unable to handle this request; try again.")
        }
        if let positions = response.headers.first(name: "X-Axon-Positions") { await waitToSee(positions) }
        var headers = HTTPFields()
        for name in ["Retry-After"] {
            if let value = response.headers.first(name: name), let field = HTTPField.Name(name) { headers[field] = value }
        }
        return MatrixResponse(
            status: HTTPResponse.Status(code: Int(response.status.code)),
            body: .bytes(body, contentType: response.headers.first(name: "Content-Type") ?? "application/json"), headers: headers
        )
    }

    /// Waits, within `readYourWritesWait`, until this worker has seen every stream reach the positions the main
    /// process reported (`events=N,receipts=N,account_data=N`), so the client's next read here shows its write.
    private func waitToSee(_ positions: String) async {
        guard let follower else { return }
        let deadline = ContinuousClock.now + Self.readYourWritesWait
        for pair in positions.split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let stream = StreamName(rawValue: String(parts[0])), let position = Int64(parts[1]) else { continue }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return }
            _ = await follower.waitUntil(stream, reaches: position, timeout: remaining)
        }
    }

    private func request(_ target: String, method: HTTPMethod) -> HTTPClientRequest {
        secret.request(baseURL, target, method: method)
    }
}
