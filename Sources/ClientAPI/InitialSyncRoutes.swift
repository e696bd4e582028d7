public import MatrixHTTP
public import Sync
import Accounts
import HTTPTypes
import MatrixTypes

/// The deprecated `GET /initialSync` and `GET /rooms/{roomId}/initialSync`, on client readers.
public enum InitialSyncRoutes {
    static let snapshotQuery = RequestShape(query: [
        QueryField("limit", .integer(0...Int64(Int32.max)), example: "10"),
        QueryField("archived", .boolean, example: "false"),
    ])
    static let roomQuery = RequestShape(query: [QueryField("limit", .integer(0...Int64(Int32.max)), example: "10")])

    public static func routes(_ service: InitialSyncService) -> [Route] {
        ClientPath.expand("/initialSync").map { snapshot($0, service) }
            + ClientPath.expand("/rooms/{roomId}/initialSync").map { roomSnapshot($0, service) }
    }

    static func snapshot(_ path: String, _ service: InitialSyncService) -> Route {
        // Synapse serves the whole snapshot to registered users only; guests read one room.
        Route(.get, path, resource: .client, role: .clientReader, auth: .user, shape: snapshotQuery) { request in
            .json(try await service.snapshot(
                of: RoomReadRoutes.viewer(request), limit: limit(request), archived: request.query["archived"] == "true"
            ))
        }
    }

    static func roomSnapshot(_ path: String, _ service: InitialSyncService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: roomQuery) { request in
            .json(try await service.snapshot(of: try request.identifier("roomId"), viewer: RoomReadRoutes.viewer(request), limit: limit(request)))
        }
    }

    /// Events per room: 10 unless asked, at most 1,000 (Synapse's pagination limits).
    static func limit(_ request: AuthenticatedRequest) -> Int {
        min(request.query["limit"].flatMap { Int($0) } ?? 10, 1000)
    }
}
