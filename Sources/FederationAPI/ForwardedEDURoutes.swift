import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// The main process's endpoint on the `replication` listener through which a federation receiver hands over the EDUs
/// of the transactions it answers: typing, receipts, presence, to-device messages and device lists are written by the
/// main process. Never routed by nginx; every
/// request carries `worker_replication_secret` when one is configured.
public enum ForwardedEDURoutes {
    public static let path = "/_axon/replication/v1/federation/edus"

    static let shape = RequestShape(body: .jsonObject([
        BodyField("origin", .string, required: true, example: "remote.test"),
        BodyField("edus", .array, required: true, example: []),
    ]))

    public static func routes(_ intake: EDUIntake, secret: ReplicationSecret) -> [Route] {
        [
            Route(.post, path, resource: .replication, role: .main, shape: shape) { request in
                try secret.check(request.headers)
                guard let origin = request.body["origin"]?.stringValue.flatMap({ try? ServerName($0) }) else {
                    throw MatrixError.invalidParameter("origin is not a server name")
                }
                guard let edus = request.body["edus"]?.arrayValue, edus.count <= TransactionIntake.eduLimit else {
                    throw MatrixError.invalidParameter("edus holds at most \(TransactionIntake.eduLimit) EDUs")
                }
                await intake.take(edus, from: origin)
                return .json([:])
            }
        ]
    }
}
