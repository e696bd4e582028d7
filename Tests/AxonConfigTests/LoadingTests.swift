import Foundation
import Testing

@testable import AxonConfig

@Suite("Loading and merging files")
struct LoadingTests {
    @Test("a directory contributes its *.yaml files in name order; later top-level keys win")
    func directoryOrderAndMerge() throws {
        let directory = try TemporaryDirectory()
        let main = try directory.write(
            "homeserver.yaml",
            minimalYAML + """
                max_upload_size: 10M
                rc_message: {per_second: 1, burst_count: 2}
                listeners: [{port: 8008, type: http}]
                """
        )
        try directory.write("conf.d/20-later.yaml", "max_upload_size: 30M\n")
        try directory.write("conf.d/10-earlier.yaml", "max_upload_size: 20M\nallow_guest_access: true\n")
        try directory.write("conf.d/05-rc.yaml", "rc_message: {per_second: 5}\n")
        try directory.write("conf.d/README", "not config")
        try directory.write("conf.d/30-typo.yml", "max_upload_size: 99M\n")
        try directory.write("conf.d/nested/40.yaml", "max_upload_size: 98M\n")

        let loaded = try ConfigLoader.load(paths: [main, "\(directory.path)/conf.d"])
        #expect(loaded.files == [main] + ["05-rc", "10-earlier", "20-later"].map { "\(directory.path)/conf.d/\($0).yaml" })
        #expect(loaded.config.media.maxUploadSize == 30 * 1024 * 1024)
        #expect(loaded.config.registration.allowGuestAccess)
        #expect(loaded.config.listeners.count == 1)
        #expect(loaded.config.rateLimits.message == RateLimit(perSecond: 5, burstCount: 10), "merging replaces whole top-level values")
        #expect(loaded.warnings.map(\.file) == ["\(directory.path)/conf.d/30-typo.yml"])
        #expect(Set(loaded.notes.compactMap(\.file)) == ["\(directory.path)/conf.d/README", "\(directory.path)/conf.d/nested"])
    }

    @Test("diagnostics point at the file a merged value came from")
    func diagnosticsNameTheirFile() throws {
        let directory = try TemporaryDirectory()
        let main = try directory.write("homeserver.yaml", minimalYAML)
        let override = try directory.write("override.yaml", "# comment\nbcrypt_rounds: many\n")
        do {
            _ = try ConfigLoader.load(paths: [main, override])
            Issue.record("bad override loaded")
        } catch {
            #expect(error.errors.map(\.description) == ["bcrypt_rounds: expected an integer, got \"many\" (\(override):2)"])
        }
    }

    @Test("relative -c paths and paths inside the config resolve against the working directory")
    func workingDirectory() throws {
        let directory = try TemporaryDirectory()
        try directory.write("etc/homeserver.yaml", "server_name: example.org\ndatabase: {name: sqlite3, args: {database: homeserver.db}}\n")
        let loaded = try ConfigLoader.load(paths: ["etc/homeserver.yaml"], workingDirectory: directory.path)
        #expect(loaded.files == ["\(directory.path)/etc/homeserver.yaml"])
        #expect(loaded.config.database == .sqlite(SQLiteConfig(path: "\(directory.path)/homeserver.db")))
        #expect(loaded.config.keys.signingKeyPath == "\(directory.path)/etc/example.org.signing.key", "default key sits next to the last file")
    }

    @Test("empty files and non-mapping files are skipped with a warning, as Synapse skips them")
    func skippedFiles() throws {
        let directory = try TemporaryDirectory()
        let main = try directory.write("homeserver.yaml", minimalYAML)
        let empty = try directory.write("empty.yaml", "# nothing here\n")
        let list = try directory.write("list.yaml", "- a\n- b\n")
        let loaded = try ConfigLoader.load(paths: [main, empty, list])
        #expect(loaded.warnings.map(\.file) == [list, empty])
    }

    @Test("no files at all is an error")
    func noFiles() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: ConfigErrors.self) { try ConfigLoader.load(paths: [directory.path]) }
    }

    @Test("YAML anchors, aliases and merge keys work as in PyYAML")
    func anchorsAndMerges() throws {
        let config = try load(
            minimalYAML + """
                rc_joins:
                  local: &fast {per_second: 50, burst_count: 100}
                  remote: *fast
                rc_invites:
                  per_room: {<<: *fast, burst_count: 7}
                """
        ).config
        #expect(config.rateLimits.joinsLocal == RateLimit(perSecond: 50, burstCount: 100))
        #expect(config.rateLimits.joinsRemote == RateLimit(perSecond: 50, burstCount: 100))
        #expect(config.rateLimits.invitesPerRoom == RateLimit(perSecond: 50, burstCount: 7))
    }

    @Test("the interop peer overrides (every rc_* shape, TLS and federation keys) load with notes only")
    func interopPeerOverrides() throws {
        let loaded = try load(
            minimalYAML + """
                public_baseurl: http://127.0.0.1:8081/
                tls_certificate_path: /abs/hs/tls.crt
                tls_private_key_path: /abs/hs/tls.key
                suppress_key_server_warning: true
                federation_verify_certificates: false
                ip_range_whitelist: ['127.0.0.0/8', '::1/128']
                enable_registration: true
                enable_registration_without_verification: true
                bcrypt_rounds: 4
                default_room_version: "10"
                rc_message: {per_second: 1000, burst_count: 1000}
                rc_registration: {per_second: 1000, burst_count: 1000}
                rc_login: {address: {per_second: 1000, burst_count: 1000}, account: {per_second: 1000, burst_count: 1000},
                           failed_attempts: {per_second: 1000, burst_count: 1000}}
                rc_joins: {local: {per_second: 1000, burst_count: 1000}, remote: {per_second: 1000, burst_count: 1000}}
                rc_invites: {per_room: {per_second: 1000, burst_count: 1000}, per_user: {per_second: 1000, burst_count: 1000},
                             per_issuer: {per_second: 1000, burst_count: 1000}}
                rc_presence: {per_user: {per_second: 1000, burst_count: 1000}}
                rc_federation: {window_size: 1000, sleep_limit: 100, sleep_delay: 0, reject_limit: 1000, concurrent: 100}
                rc_joins_per_room: {per_second: 1000, burst_count: 1000}
                rc_room_creation: {per_second: 1000, burst_count: 1000}
                rc_key_requests: {per_second: 1000, burst_count: 1000}
                rc_3pid_validation: {per_second: 1000, burst_count: 1000}
                rc_delayed_event_mgmt: {per_second: 1000, burst_count: 1000}
                rc_media_create: {per_second: 1000, burst_count: 1000}
                rc_reports: {per_second: 1000, burst_count: 1000}
                rc_profile: {per_second: 1000, burst_count: 1000}
                rc_user_directory: {per_second: 1000, burst_count: 1000}
                """
        )
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.notes.isEmpty)
        #expect(loaded.config.server.tlsCertificatePath == "/abs/hs/tls.crt" && loaded.config.server.tlsPrivateKeyPath == "/abs/hs/tls.key")
        let limits = loaded.config.rateLimits
        let fast = RateLimit(perSecond: 1000, burstCount: 1000)
        for limit in [
            limits.message, limits.registration, limits.loginAddress, limits.loginAccount, limits.loginFailedAttempts, limits.joinsLocal,
            limits.joinsRemote, limits.invitesPerRoom, limits.invitesPerUser, limits.invitesPerIssuer, limits.presencePerUser,
            limits.joinsPerRoom, limits.roomCreation, limits.keyRequests, limits.threePIDValidation, limits.delayedEventManagement,
            limits.mediaCreate, limits.reports, limits.profile, limits.userDirectory,
        ] {
            #expect(limit == fast)
        }
        #expect(limits.federation.sleepLimit == 100 && limits.federation.sleepDelay == 0 && limits.federation.concurrent == 100)
    }
}
