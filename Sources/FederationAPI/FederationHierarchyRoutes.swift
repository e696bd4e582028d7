import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// `GET /_matrix/federation/v1/hierarchy/{roomId}`: one level of a space as another server walks it.
public enum FederationHierarchyRoutes {
    static let shape = RequestShape(query: [QueryField("suggested_only", .boolean, example: "false")])

    public static func routes(_ answers: FederationHierarchyAnswers) -> [Route] {
        [
            .federation(.get, "/_matrix/federation/v1/hierarchy/{roomId}", shape: shape) { request in
                let suggestedOnly = request.request.query["suggested_only"] == "true"
                return .json(try await answers.answer(for: try request.request.identifier("roomId"), origin: request.origin, suggestedOnly: suggestedOnly))
            }
        ]
    }
}
