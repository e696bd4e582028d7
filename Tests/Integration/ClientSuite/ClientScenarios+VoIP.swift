import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// `/voip/turnServer` on servers without `turn_*` keys (neither the suite's Axon nor its Synapse configures TURN).
extension ClientScenarios {
    static let voip: [ClientScenario] = [
        ClientScenario(name: "VoIP: without TURN, /voip/turnServer answers {} to users and guests, and needs a token") { context in
            let alice = try await context.user()
            #expect(try await alice.ok("GET", "/voip/turnServer") == [:])
            let r0 = try await SuiteClient.raw("GET", context.baseURL + "/_matrix/client/r0/voip/turnServer", body: nil, token: alice.accessToken)
            #expect(r0.status == 200 && r0.json == [:], "\(r0)")
            // turn_allow_guests is true by default; the suite allows guests on both servers.
            let guest = try await SuiteClient.registerGuest(context)
            #expect(try await guest.ok("GET", "/voip/turnServer") == [:])
            let anonymous = try await SuiteClient.raw("GET", context.baseURL + "/_matrix/client/v3/voip/turnServer", body: nil, token: nil)
            #expect(anonymous.status == 401 && anonymous.errcode == "M_MISSING_TOKEN", "\(anonymous)")
        },
    ]
}
