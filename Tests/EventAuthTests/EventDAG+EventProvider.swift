import AxonTesting
import EventAuth
import MatrixTypes

extension EventDAG: EventProvider {}

extension EventDAG {
    /// Accepts an event when the auth rules allow it against its own auth events.
    static let authRules: Authorizer = { event, dag in
        (try? EventAuthorizer.authorize(event, using: dag)) != nil
    }

    /// A room built with ``authRules`` deciding every event.
    static func authorizedRoom(
        version: RoomVersion,
        powerLevels: [UserID: Int64] = [:],
        members: [UserID] = []
    ) throws -> EventDAG {
        try room(version: version, powerLevels: powerLevels, members: members, authorizer: authRules)
    }

    /// Merges `branches` with the room version's state resolution.
    mutating func resolve(_ branches: [String], into branch: String = mainBranch) throws {
        let version = version
        let dag = self
        try merge(branches, into: branch) { StateResolution.resolve($0, version: version, events: dag) }
    }

    /// Whether the event was accepted when it was added.
    func accepted(_ event: PDU) -> Bool { !isRejected(event.eventID) }
}
