import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Presence

/// Internal endpoints on the `replication` listener through which workers hand writes to the main process. Never
/// routed by nginx; every request carries `worker_replication_secret` when one is configured.
public enum ReplicationRoutes {
    public static let presencePath = "/_axon/replication/v1/presence/syncing"

    static let syncingShape = RequestShape(body: .jsonObject([
        BodyField("user_id", .string, required: true, example: "@alice:axon.test"),
        BodyField("presence", .string, required: true, example: "online"),
    ]))

    public static func routes(presence: PresenceService, secret: ReplicationSecret) -> [Route] {
        [
            Route(.post, presencePath, resource: .replication, role: .main, shape: syncingShape) { request in
                try secret.check(request.headers)
                guard let presenceState = request.body["presence"]?.stringValue, PresenceService.states.contains(where: { $0.hasSameBytes(as: presenceState) })
                else { throw MatrixError.invalidParameter("Invalid presence state") }
                guard let text = request.body["user_id"]?.stringValue, let user = try? UserID(text) else {
                    throw MatrixError.invalidParameter("user_id is not a user ID")
                }
                try await presence.syncing(user, presence: presenceState)
                return .json([:])
            }
        ]
    }
}
