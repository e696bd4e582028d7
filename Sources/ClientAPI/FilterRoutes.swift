import Accounts
public import Filters
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// `POST /user/{userId}/filter` and `GET /user/{userId}/filter/{filterId}`.
public enum FilterRoutes {
    static let filterShape = RequestShape(body: .jsonObject([
        BodyField("room", .object, required: false, example: [:]),
        BodyField("event_fields", .array, required: false, example: []),
    ]))

    public static func routes(_ filters: FilterService) -> [Route] {
        ClientPath.expand("/user/{userId}/filter").map { create($0, filters) }
            + ClientPath.expand("/user/{userId}/filter/{filterId}").map { get($0, filters) }
    }

    static func create(_ path: String, _ filters: FilterService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: filterShape) { request in
            let id = try await filters.create(request.body, user: try request.identifier("userId"), requester: request.requester.userID)
            return .json(["filter_id": .string(id)])
        }
    }

    static func get(_ path: String, _ filters: FilterService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            .json(try await filters.get(request.pathParameter("filterId"), user: try request.identifier("userId"), requester: request.requester.userID))
        }
    }
}
