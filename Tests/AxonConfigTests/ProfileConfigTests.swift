import Testing

@testable import AxonConfig

/// Synapse's profile lookup keys, both off by default.
@Suite struct ProfileConfigTests {
    @Test func profileLookupsAreOpenByDefaultAndRestrictedBySynapsesKeys() throws {
        let defaults = try load(minimalYAML)
        #expect(!defaults.config.server.requireAuthForProfileRequests)
        #expect(!defaults.config.server.limitProfileRequestsToUsersWhoShareRooms)
        let set = try load(
            minimalYAML + "require_auth_for_profile_requests: true\nlimit_profile_requests_to_users_who_share_rooms: true\n"
        )
        #expect(set.config.server.requireAuthForProfileRequests && set.config.server.limitProfileRequestsToUsersWhoShareRooms)
        #expect(set.warnings.isEmpty, "\(set.warnings)")
    }
}
