import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// `PUT /_matrix/federation/v1/send/{txnId}`: another server's transaction, answered once its PDUs are staged.
public enum FederationTransactionRoutes {
    static let shape = RequestShape(body: .jsonObject([
        BodyField("origin", .string, required: false, example: "remote.test"),
        BodyField("origin_server_ts", .integer, required: false, example: 1_700_000_000_000),
        BodyField("pdus", .array, required: true, example: []),
        BodyField("edus", .array, required: false, example: []),
    ]))

    public static func routes(_ intake: TransactionIntake) -> [Route] {
        [
            .federation(.put, "/_matrix/federation/v1/send/{txnId}", shape: shape) { request in
                .json(try await intake.stage(origin: request.origin, txnID: request.request.pathParameter("txnId"), body: request.request.body))
            }
        ]
    }
}
