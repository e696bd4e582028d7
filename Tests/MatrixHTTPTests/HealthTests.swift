import MatrixCrypto
import AxonConfig
import AxonRuntime
import AxonTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import MatrixHTTP
import Storage
import Testing

/// Liveness stays up while readiness follows the database, without telling clients why the database failed.
@Suite struct HealthTests {
    @Test func readinessReportsAnUnavailableDatabaseWhileLivenessStaysUp() async throws {
        try await withEachDatabase { database in
            let log = CapturedLog()
            let composition = try await Composition(config: try TestConfig.monolith(), role: .main, database: database, signingKey: try SigningKey.generate(), logger: log.logger)
            let app = Application(
                responder: composition.responder(listenerResources: [.client], trustForwardedFor: false),
                configuration: .init(address: .hostname("127.0.0.1", port: 0))
            )
            try await app.test(.live) { client in
                let ready = try await client.execute(uri: "/health/ready", method: .get)
                #expect(ready.status == .ok)
                await database.close()
                let down = try await client.execute(uri: "/health/ready", method: .get)
                #expect(down.status == .serviceUnavailable)
                // A client-facing listener names only what is wrong; the driver's error is for the log.
                #expect(String(buffer: down.body) == "database unavailable")
                #expect(log.text.contains("not ready: database unavailable detail="))
                let live = try await client.execute(uri: "/health", method: .get)
                #expect(live.status == .ok)
                #expect(String(buffer: live.body) == "OK")
            }
        }
    }
}
