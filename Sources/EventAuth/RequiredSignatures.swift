import MatrixTypes

extension EventAuthorizer {
    /// The servers whose signatures an event must carry before it is authorised at all, as Synapse requires them:
    /// - the sender's server, except for an invite made from a third-party invite (any server may send those);
    /// - in rooms v1–v2, the server in the event ID;
    /// - from room v8, for a join whose content has `join_authorised_via_users_server` (present at all, whatever the
    ///   join rule), the server of that user, which vouches that the joiner met the room's conditions.
    ///
    /// Throws when `join_authorised_via_users_server` names no server (not a string, no colon, or not a valid server
    /// name): no signature can satisfy that, so the event is refused.
    public static func requiredSignatureServers(for event: PDU) throws(AuthorizationError) -> Set<ServerName> {
        var servers: Set<ServerName> = []
        let isMember = event.hasType(EventType.member)
        let isThirdPartyInvite = isMember && event.membership?.hasSameBytes(as: Membership.invite) == true
            && event.content["third_party_invite"] != nil
        if !isThirdPartyInvite {
            servers.insert(event.sender.serverName)
        }
        if event.version.authRules.checksRedactionsAndEventIDServer, let server = event.eventID.serverName {
            servers.insert(server)
        }
        if event.version.authRules.allowsRestrictedJoins, isMember,
           event.membership?.hasSameBytes(as: Membership.join) == true,
           let authoriser = event.content["join_authorised_via_users_server"] {
            guard let domain = authoriser.stringValue.flatMap(DomainPart.of), let server = try? ServerName(domain) else {
                throw AuthorizationError("join_authorised_via_users_server \(authoriser) names no server to sign the join")
            }
            servers.insert(server)
        }
        return servers
    }
}
