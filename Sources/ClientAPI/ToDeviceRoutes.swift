public import E2EE
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// `PUT /sendToDevice/{eventType}/{txnId}`, on the main process, which writes the to-device stream.
public enum ToDeviceRoutes {
    static let sendShape = RequestShape(body: .jsonObject([BodyField("messages", .object, required: true, example: [:])]))

    public static func routes(_ toDevice: ToDeviceService) -> [Route] {
        ClientPath.expand("/sendToDevice/{eventType}/{txnId}").map { send($0, toDevice) }
    }

    static func send(_ path: String, _ toDevice: ToDeviceService) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: sendShape) { request in
            try await toDevice.send(
                type: request.pathParameter("eventType"), transactionID: request.pathParameter("txnId"),
                messages: request.body["messages"]?.objectValue ?? [:], requester: request.requester
            )
            return .json([:])
        }
    }
}
