import Accounts
public import E2EE
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// `/keys/device_signing/upload` and `/keys/signatures/upload`, on the main process, which writes the device-list
/// stream these changes travel on.
public enum CrossSigningRoutes {
    static let keysShape = RequestShape(
        body: .jsonObject([
            BodyField("master_key", .object, required: false, example: [:]),
            BodyField("self_signing_key", .object, required: false, example: [:]),
            BodyField("user_signing_key", .object, required: false, example: [:]),
            BodyField("auth", .object, required: false, example: [:]),
        ])
    )
    static let signaturesShape = RequestShape(body: .jsonObject([]))

    public static func routes(_ crossSigning: CrossSigningService) -> [Route] {
        ClientPath.expand("/keys/device_signing/upload").map { uploadKeys($0, crossSigning) }
            + ClientPath.expand("/keys/signatures/upload").map { uploadSignatures($0, crossSigning) }
    }

    /// Replacing existing keys needs the password through user-interactive auth.
    static func uploadKeys(_ path: String, _ crossSigning: CrossSigningService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: keysShape) { request in
            let body = request.body.objectValue ?? [:]
            try await crossSigning.upload(body, submission: UIASubmission(body: body), requester: request.requester)
            return .json([:])
        }
    }

    static func uploadSignatures(_ path: String, _ crossSigning: CrossSigningService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: signaturesShape) { request in
            .json(.object(try await crossSigning.uploadSignatures(request.body.objectValue ?? [:], requester: request.requester)))
        }
    }
}
