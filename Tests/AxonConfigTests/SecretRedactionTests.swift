import Testing

@testable import AxonConfig

@Suite("Secrets never reach logs")
struct SecretRedactionTests {
    @Test("description, debugDescription, interpolation and dump of a config hide every secret")
    func redacted() throws {
        let directory = try TemporaryDirectory()
        let redisPassword = try directory.write("redis-password", "redis-pw-7\n")
        let config = try load(
            """
            server_name: example.org
            database:
              name: psycopg2
              args: {user: axon, password: db-pw-1, sslpassword: ssl-pw-2, database: axon, host: db}
            registration_shared_secret: shared-secret-3
            worker_replication_secret: replication-secret-4
            turn_shared_secret: turn-secret-5
            turn_password: turn-pw-6
            redis: {enabled: true, password_path: \(redisPassword)}
            """
        ).config
        var dumped = ""
        dump(config, to: &dumped)
        let renderings = [String(describing: config), String(reflecting: config), "\(config)", dumped]
        for text in renderings {
            for secret in ["db-pw-1", "ssl-pw-2", "shared-secret-3", "replication-secret-4", "turn-secret-5", "turn-pw-6", "redis-pw-7"] {
                #expect(!text.contains(secret), "\(secret) leaked")
            }
            #expect(text.contains("<redacted>"))
        }
        #expect(config.redis.password?.revealed == "redis-pw-7")
        #expect("\(Secret("x"))" == "<redacted>" && String(reflecting: Secret("x")) == "<redacted>")
    }
}
