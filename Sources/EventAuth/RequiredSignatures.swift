import MatrixTypes

extension EventAuthorizer {
    /// The servers whose signatures an event must carry before it is authorised at all: the sender's server, the
    /// server in the event ID in rooms v1–v2, and for a restricted join (v8+) the server of the user in
    /// `join_authorised_via_users_server`, which vouches that the joiner met the room's conditions.
    public static func requiredSignatureServers(for event: PDU) -> Set<ServerName> {
        var servers: Set<ServerName> = [event.sender.serverName]
        if event.version.authRules.checksRedactionsAndEventIDServer, let server = event.eventID.serverName {
            servers.insert(server)
        }
        if event.version.authRules.allowsRestrictedJoins, event.hasType(EventType.member),
           event.membership?.hasSameBytes(as: Membership.join) == true,
           let authoriser = event.content["join_authorised_via_users_server"]?.stringValue.flatMap({ try? UserID($0) }) {
            servers.insert(authoriser.serverName)
        }
        return servers
    }
}
