import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The client HTTP suite: the same scenarios against Axon on SQLite, Axon on PostgreSQL and a real Synapse, all
/// by base URL (the worker cluster behind nginx will be one more base URL). A scenario Synapse fails is wrong,
/// unless it is marked Axon-only with the reason. `AXON_CLIENT_SCENARIOS=text|other` runs only the scenarios whose
/// name contains one of the `|`-separated texts, to iterate on a few.
@Suite struct ClientSuiteTests {
    static let nameFilter = ProcessInfo.processInfo.environment["AXON_CLIENT_SCENARIOS"].flatMap { value in
        value.isEmpty ? nil : value.split(separator: "|").map(String.init)
    }

    @Test(arguments: HomeserverKind.allCases.filter(\.isAvailable))
    func everyScenarioHolds(on kind: HomeserverKind) async throws {
        try await kind.run { baseURL, serverName in
            let context = SuiteContext(kind: kind, baseURL: baseURL, serverName: serverName)
            let chosen = ClientScenarios.all.filter { scenario in Self.nameFilter.map { texts in texts.contains { scenario.name.contains($0) } } ?? true }
            for scenario in chosen where (scenario.axonOnly == nil || kind.isAxon) && !(scenario.usesMediaRole && kind == .axonForwarding) {
                do {
                    try await scenario.run(context)
                } catch {
                    Issue.record("\(scenario.name) on \(kind): \(error)")
                }
            }
        }
    }
}

struct SuiteContext: Sendable {
    let kind: HomeserverKind
    let baseURL: String
    let serverName: String

    func user(_ prefix: String = "u") async throws -> SuiteClient {
        try await SuiteClient.register(baseURL, prefix: prefix, recordSecrets: kind.isAxon)
    }
}

struct ClientScenario: Sendable {
    let name: String
    /// Why Synapse is not held to this scenario, when it is not.
    var axonOnly: String? = nil
    /// Media routes belong to the media role, which a lone client reader neither serves nor forwards (nginx sends
    /// them to the media worker), so the forwarding reader skips these.
    var usesMediaRole = false
    let run: @Sendable (SuiteContext) async throws -> Void
}
