public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `GET /thirdparty/protocols`: no application services bridge any protocol here yet.
public enum ThirdPartyRoutes {
    public static func routes() -> [Route] {
        ClientPath.expand("/thirdparty/protocols").map { path in
            Route(.get, path, resource: .client, role: .main, auth: .userOrGuest) { _ in .json([:]) }
        }
    }
}
