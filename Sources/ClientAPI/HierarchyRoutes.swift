import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Spaces

/// `GET /_matrix/client/v1/rooms/{roomId}/hierarchy`: a space's rooms, depth first, a page at a time. Client
/// readers serve it; as in Synapse, guests may call it and each user is limited to 5 requests a second (10 at once).
public enum HierarchyRoutes {
    static let shape = RequestShape(query: [
        QueryField("suggested_only", .boolean, example: "false"),
        QueryField("limit", .integer(1...Int64(Int32.max)), example: "10"),
        QueryField("max_depth", .integer(0...Int64(Int32.max)), example: "1"),
        QueryField("from", .string, example: "0"),
    ])

    public static func routes(_ hierarchy: SpaceHierarchy) -> [Route] {
        let limiter = RateLimiter(perSecond: 5, burstCount: 10)
        return ClientPath.expand("/rooms/{roomId}/hierarchy", versions: ["v1"]).map { path in
            Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: shape, rateLimiter: limiter) { request in
                let query = HierarchyQuery(
                    suggestedOnly: request.query["suggested_only"] == "true", maxDepth: request.query["max_depth"].flatMap { Int($0) },
                    limit: request.query["limit"].flatMap { Int($0) }, from: request.query["from"]
                )
                return .json(try await hierarchy.hierarchy(of: try request.identifier("roomId"), requester: request.requester.userID, query: query))
            }
        }
    }
}
