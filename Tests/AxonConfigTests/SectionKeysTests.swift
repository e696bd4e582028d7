import Testing

@testable import AxonConfig

@Suite("Keys, federation, rate limits and optional sections")
struct SectionKeysTests {
    @Test("keys: signing key path, notaries with verify keys, old keys")
    func keys() throws {
        let config = try load(
            minimalYAML + """
                signing_key_path: /etc/axon/key
                trusted_key_servers:
                  - server_name: matrix.org
                    verify_keys:
                      "ed25519:auto": Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw
                  - server_name: notary.example.com
                    accept_keys_insecurely: true
                old_signing_keys:
                  "ed25519:old": {key: l/O9hxMVKB6Lg+3Hqf0FQQZhVESQcMzbPN1Cz2nM3og, expired_ts: 1576767829750}
                suppress_key_server_warning: true
                """
        ).config
        #expect(config.keys.signingKeyPath == "/etc/axon/key")
        #expect(config.keys.trustedKeyServers == [
            TrustedKeyServer(serverName: "matrix.org", verifyKeys: ["ed25519:auto": "Noi6WqcDj0QmPxCNQqgezwTlBKrfqehY1u2FyWP9uYw"]),
            TrustedKeyServer(serverName: "notary.example.com", acceptKeysInsecurely: true),
        ])
        #expect(config.keys.oldSigningKeys["ed25519:old"] == OldSigningKey(key: "l/O9hxMVKB6Lg+3Hqf0FQQZhVESQcMzbPN1Cz2nM3og", expiredTimestamp: 1_576_767_829_750))
        #expect(config.keys.suppressKeyServerWarning)
        #expect(try load(minimalYAML + "trusted_key_servers: []").config.keys.trustedKeyServers.isEmpty)
    }

    @Test("federation: IP ranges, exceptions and the domain allow-list")
    func federation() throws {
        let config = try load(
            minimalYAML + """
                ip_range_blacklist: ['10.0.0.0/8', 'fc00::/7']
                ip_range_whitelist: ['127.0.0.0/8', '::1/128', '192.168.1.7']
                federation_domain_whitelist: ['localhost:8482', example.com]
                federation_verify_certificates: false
                """
        ).config
        #expect(config.federation.ipRangeBlacklist == ["10.0.0.0/8", "fc00::/7", "0.0.0.0/32", "::/128"].map { IPRange($0)! })
        #expect(config.federation.ipRangeWhitelist.count == 3)
        #expect(config.federation.ipRangeWhitelist[2] == IPRange("192.168.1.7/32"))
        #expect(config.federation.domainWhitelist == ["localhost:8482", "example.com"])
        #expect(!config.federation.verifyCertificates)
        #expect(try load(minimalYAML + "federation_domain_whitelist: []").config.federation.domainWhitelist == [])
    }

    @Test("federation: Synapse's timeout and retry keys, with its defaults")
    func federationTiming() throws {
        let defaults = try load(minimalYAML).config.federation.timing
        #expect(defaults == FederationConfig.Timing())
        #expect(defaults.clientTimeout == 60_000 && defaults.destinationMinRetryInterval == 600_000 && defaults.maxLongRetries == 10)
        let loaded = try load(
            minimalYAML + """
                federation:
                  client_timeout: 10s
                  max_short_retries: 1
                  max_short_retry_delay: 500
                  max_long_retries: 2
                  max_long_retry_delay: 5s
                  destination_min_retry_interval: 30s
                  destination_retry_multiplier: 1.5
                  destination_max_retry_interval: 1h
                """
        )
        let timing = loaded.config.federation.timing
        #expect(timing.clientTimeout == 10_000 && timing.maxShortRetries == 1 && timing.maxShortRetryDelay == 500)
        #expect(timing.maxLongRetries == 2 && timing.maxLongRetryDelay == 5_000)
        #expect(timing.destinationMinRetryInterval == 30_000 && timing.destinationRetryMultiplier == 1.5 && timing.destinationMaxRetryInterval == 3_600_000)
        #expect(loaded.warnings.isEmpty)
        #expect(throws: ConfigErrors.self) { try load(minimalYAML + "federation: {destination_retry_multiplier: 0.5}") }
    }

    @Test("rc_* keys: nested shapes, partial entries and the legacy flat keys")
    func rateLimits() throws {
        let limits = try load(
            minimalYAML + """
                rc_message: {per_second: 1000, burst_count: 1000}
                rc_login:
                  address: {per_second: 0.5}
                  failed_attempts: {burst_count: 7}
                rc_joins: {local: {per_second: 2, burst_count: 20}}
                rc_invites: {per_issuer: {per_second: 3, burst_count: 30}}
                rc_presence: {per_user: {per_second: 4, burst_count: 40}}
                rc_admin_redaction: {per_second: 1}
                rc_federation: {window_size: 2000, concurrent: 5}
                remote_media_download_per_second: 1M
                """
        ).config.rateLimits
        #expect(limits.message == RateLimit(perSecond: 1000, burstCount: 1000))
        #expect(limits.loginAddress == RateLimit(perSecond: 0.5, burstCount: 5))
        #expect(limits.loginAccount == RateLimit(perSecond: 0.003, burstCount: 5))
        #expect(limits.loginFailedAttempts == RateLimit(perSecond: 0.17, burstCount: 7))
        #expect(limits.joinsLocal == RateLimit(perSecond: 2, burstCount: 20))
        #expect(limits.joinsRemote == RateLimit(perSecond: 0.01, burstCount: 10))
        #expect(limits.invitesPerIssuer == RateLimit(perSecond: 3, burstCount: 30))
        #expect(limits.presencePerUser == RateLimit(perSecond: 4, burstCount: 40))
        #expect(limits.adminRedaction == RateLimit(perSecond: 1, burstCount: 3))
        #expect(limits.federation.windowSize == 2000 && limits.federation.concurrent == 5 && limits.federation.rejectLimit == 50)
        #expect(limits.remoteMediaDownload.perSecond == 1024 * 1024)

        let legacy = try load(minimalYAML + "rc_messages_per_second: 0.5\nrc_message_burst_count: 20\nfederation_rc_reject_limit: 9").config.rateLimits
        #expect(legacy.message == RateLimit(perSecond: 0.5, burstCount: 20))
        #expect(legacy.federation.rejectLimit == 9)
    }

    @Test("URL previews, TURN and Redis sections")
    func optionalSections() throws {
        let config = try load(
            minimalYAML + """
                url_preview_enabled: true
                url_preview_ip_range_blacklist: ['127.0.0.0/8', '10.0.0.0/8']
                url_preview_ip_range_whitelist: ['10.1.2.3']
                url_preview_url_blacklist: [{username: '*'}, {netloc: 'google.com'}]
                url_preview_accept_language: ['en-GB', 'fr;q=0.8']
                turn_uris: ["turn:turn.example.org?transport=udp", "turn:turn.example.org?transport=tcp"]
                turn_shared_secret: "turn secret"
                turn_user_lifetime: 1d
                turn_allow_guests: false
                redis: {enabled: true, host: redis.internal, port: 6380, dbid: 2, password: hunter2}
                """
        ).config
        #expect(config.urlPreview.enabled)
        #expect(config.urlPreview.ipRangeBlacklist.count == 4)
        #expect(config.urlPreview.ipRangeWhitelist == [IPRange("10.1.2.3")!])
        #expect(config.urlPreview.urlBlacklist == [["username": "*"], ["netloc": "google.com"]])
        #expect(config.urlPreview.acceptLanguage == ["en-GB", "fr;q=0.8"])
        #expect(config.voip.turnURIs.count == 2 && config.voip.turnSharedSecret?.revealed == "turn secret")
        #expect(config.voip.turnUserLifetime == 86_400_000 && !config.voip.turnAllowGuests)
        #expect(config.redis.enabled && config.redis.host == "redis.internal" && config.redis.port == 6380)
        #expect(config.redis.databaseID == 2 && config.redis.password?.revealed == "hunter2")
    }

    @Test("stream_writers take a single name or a list, and `master` means the main process")
    func streamWriters() throws {
        let worker = try load(
            minimalYAML + """
                instance_map:
                  main: {host: localhost, port: 9093}
                  persister1: {host: localhost, port: 9094}
                  persister2: {host: localhost, port: 9095, tls: true}
                  typing1: {path: /run/axon/typing.sock}
                stream_writers:
                  events: [persister1, persister2]
                  typing: typing1
                  receipts: master
                federation_sender_instances: [sender1, sender2]
                run_background_tasks_on: background
                media_instance_running_background_jobs: media1
                """
        ).config.worker
        #expect(worker.instanceMap["persister2"] == .tcp(host: "localhost", port: 9095, tls: true))
        #expect(worker.instanceMap["typing1"] == .unix(path: "/run/axon/typing.sock"))
        #expect(worker.streamWriters.events == ["persister1", "persister2"])
        #expect(worker.streamWriters.typing == ["typing1"])
        #expect(worker.streamWriters.receipts == ["main"])
        #expect(worker.streamWriters.toDevice == ["main"])
        #expect(worker.federationSenderInstances == ["sender1", "sender2"])
        #expect(worker.runBackgroundTasksOn == "background")
        #expect(worker.mediaInstanceRunningBackgroundJobs == "media1")
    }
}
