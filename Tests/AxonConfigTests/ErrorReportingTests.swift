import Testing

@testable import AxonConfig

@Suite("Every mistake is reported at once, with its path")
struct ErrorReportingTests {
    /// A size or duration too large for a 64-bit count is a mistake reported at its key, never an overflow.
    @Test func hugeSizesAndDurationsAreErrorsNotOverflows() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "homeserver.yaml",
            """
            server_name: example.org
            database: {name: sqlite3, args: {database: homeserver.db}}
            max_upload_size: 99999999999999999G
            key_refresh_interval: 99999999999999999y
            """
        )
        do {
            _ = try ConfigLoader.load(paths: [file])
            Issue.record("a config with overflowing values loaded")
        } catch {
            #expect(error.errors.map(\.path) == ["max_upload_size", "key_refresh_interval"])
        }
    }

    @Test("a file with three mistakes reports all three, each with its key path and line")
    func threeMistakes() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write(
            "homeserver.yaml",
            """
            server_name: example.org
            database:
              name: psycopg2
              args:
                cp_min: five
            listeners:
              - port: 8008
                type: htp
            max_upload_size: lots
            """
        )
        do {
            _ = try ConfigLoader.load(paths: [file])
            Issue.record("a config with three mistakes loaded")
        } catch {
            #expect(error.errors.map(\.path) == ["database.args.cp_min", "listeners[0].type", "max_upload_size"])
            #expect(error.errors.map(\.line) == [5, 8, 9])
            #expect(error.errors.allSatisfy { $0.file == file })
            let text = error.description
            #expect(text.contains("database.args.cp_min: expected an integer, got \"five\""))
            #expect(text.contains("listeners[0].type: unknown listener type \"htp\""))
            #expect(text.contains("max_upload_size: expected a size"))
            #expect(text.hasPrefix("Configuration has 3 errors:"))
        }
    }

    @Test("missing required keys are errors")
    func missingKeys() {
        let found = errors("listeners: [{type: http}]\n")
        #expect(found.map(\.path) == ["listeners[0].port", "server_name", "database"])
        #expect(found.allSatisfy { $0.message.contains("missing required key") })
    }

    @Test("wrong types name what was expected and what was found")
    func wrongTypes() {
        let found = errors(
            minimalYAML + """
                enable_registration: maybe
                listeners: {port: 8008}
                bcrypt_rounds: 2
                rc_message: {per_second: fast}
                trusted_key_servers: [{server_name: "bad name"}]
                """
        )
        #expect(found.map(\.description) == [
            "enable_registration: expected true or false, got \"maybe\"",
            "listeners: expected a list, got a mapping",
            "bcrypt_rounds: expected an integer from 4 to 31, got 2",
            "rc_message.per_second: expected a number, got \"fast\"",
            "trusted_key_servers[0].server_name: Server name 'bad name' is not a valid host name",
        ])
        #expect(found.map(\.line) == [6, 7, 8, 9, 10])
    }

    @Test("invalid values: server name, room version, base URL, IP ranges, resources")
    func invalidValues() {
        let found = errors(
            """
            server_name: "example.org:http"
            database: {name: sqlite3, args: {database: x.db}}
            default_room_version: "99"
            public_baseurl: ftp://example.org/
            ip_range_blacklist: ['10.0.0.0/8', 'not-a-range']
            listeners: [{port: 70000, type: http}, {port: 8009, type: http, resources: [{names: [client, web]}]}]
            """
        )
        #expect(found.map(\.path) == [
            "server_name", "default_room_version", "public_baseurl", "ip_range_blacklist[1]", "listeners[0].port",
            "listeners[1].resources[0].names[1]",
        ])
    }

    @Test("contradictions: duplicate listener ports, cp_min above cp_max, both secret keys")
    func contradictions() throws {
        let directory = try TemporaryDirectory()
        let secretFile = try directory.write("secret", "s3cret\n")
        let found = errors(
            """
            server_name: example.org
            database: {name: psycopg2, args: {cp_min: 20, cp_max: 10}}
            listeners:
              - {port: 8008, bind_addresses: ['127.0.0.1'], type: http}
              - {port: 8008, bind_addresses: ['::1', '127.0.0.1'], type: http}
              - {port: 8008, bind_addresses: ['::1'], type: metrics}
            registration_shared_secret: inline
            registration_shared_secret_path: \(secretFile)
            """
        )
        #expect(found.map(\.description) == [
            "database.args.cp_max: cp_min (20) is larger than cp_max (10)",
            "listeners[1].port: port 8008 on 127.0.0.1 is already used by listeners[0]",
            "listeners[2].port: port 8008 on ::1 is already used by listeners[1]",
            "registration_shared_secret_path: " + RegistrationConfig.conflictingSharedSecretError,
        ])
    }

    @Test("unknown keys warn with their path; Synapse's keys Axon ignores are only notes")
    func unknownKeys() throws {
        let loaded = try load(
            minimalYAML + """
                macaroon_secret_key: abc
                form_secret: def
                log_config: /etc/axon/log.yaml
                report_stats: true
                enable_registraton: true
                database_typo: 1
                listeners: [{port: 8008, type: http, x_forward: true, resources: [{names: [client], compres: true}]}]
                redis: {enabled: false, hots: localhost}
                rc_login: {adress: {per_second: 1}}
                """
        )
        #expect(loaded.warnings.map(\.path) == [
            "enable_registraton", "database_typo", "listeners[0].resources[0].compres", "listeners[0].x_forward", "redis.hots",
            "rc_login.adress",
        ])
        #expect(loaded.warnings.allSatisfy { $0.message == "unknown key" })
        #expect(loaded.notes.map(\.path) == ["macaroon_secret_key", "form_secret", "log_config"])
    }

    @Test("YAML syntax errors in several files are all reported, with file and line")
    func syntaxErrors() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.yaml", "server_name: example.org\n  bad: indentation\n")
        let second = try directory.write("b.yaml", "key: [unclosed\n")
        let third = try directory.write("c.yaml", "a: 1\na: 2\n")
        let missing = "\(directory.path)/missing.yaml"
        do {
            _ = try ConfigLoader.load(paths: [first, second, third, missing])
            Issue.record("broken YAML loaded")
        } catch {
            #expect(error.errors.map(\.file) == [first, second, third, missing])
            #expect(error.errors[0].line == 2 && error.errors[0].message.hasPrefix("invalid YAML"))
            #expect(error.errors[2].message.contains("\"a\" appears more than once"))
            #expect(error.errors[3].message == "config file not found")
        }
    }

    @Test("a grouped rc_* key of the wrong type is reported once")
    func badRateLimitGroup() {
        #expect(errors(minimalYAML + "rc_login: fast\n").map(\.description) == ["rc_login: expected a mapping, got \"fast\""])
    }

    @Test("an unreadable secret file is a config error")
    func unreadableSecretFile() {
        let found = errors(minimalYAML + "registration_shared_secret_path: /nonexistent/secret\n")
        #expect(found.map(\.description) == ["registration_shared_secret_path: cannot read /nonexistent/secret: no such file"])
    }
}
