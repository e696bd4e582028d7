import Testing

@testable import AxonConfig

@Suite("Synapse's defaults")
struct DefaultsTests {
    @Test("a minimal config gets Synapse's defaults everywhere")
    func minimal() throws {
        let loaded = try load(minimalYAML)
        let config = loaded.config
        #expect(loaded.warnings.isEmpty)
        #expect(config.server.serverName == "example.org")
        #expect(config.server.publicBaseURL == "https://example.org/")
        #expect(!config.server.servesClientWellKnown)
        #expect(!config.server.serveServerWellKnown)
        #expect(config.server.pidFile == nil)
        #expect(config.server.defaultRoomVersion == "12")
        #expect(!config.server.allowPublicRoomsWithoutAuth)
        #expect(!config.server.allowPublicRoomsOverFederation)
        #expect(config.listeners.isEmpty)
        #expect(config.database == .sqlite(SQLiteConfig(path: "/var/lib/axon/homeserver.db")))
        #expect(config.keys.signingKeyPath == "/etc/axon/example.org.signing.key")
        #expect(config.keys.trustedKeyServers == [TrustedKeyServer(serverName: "matrix.org")])
        #expect(config.keys.keyRefreshInterval == 86_400_000)
        #expect(config.media.storePath == "/srv/axon/media_store")
        #expect(config.media.maxUploadSize == 50 * 1024 * 1024)
        #expect(config.media.enableMediaRepo)
        #expect(!config.urlPreview.enabled)
        #expect(config.voip.turnURIs.isEmpty && config.voip.turnUserLifetime == 3_600_000 && config.voip.turnAllowGuests)
        #expect(config.federation.domainWhitelist == nil)
        #expect(config.federation.ipRangeBlacklist.contains(IPRange("127.0.0.0/8")!))
        #expect(config.federation.ipRangeBlacklist.contains(IPRange("::/128")!))
        #expect(config.federation.ipRangeWhitelist.isEmpty)
        #expect(config.redis == RedisConfig())
        #expect(!config.redis.enabled && config.redis.host == "localhost" && config.redis.port == 6379)
    }

    @Test("registration is closed, guests are off and bcrypt uses 12 rounds")
    func registration() throws {
        let registration = try load(minimalYAML).config.registration
        #expect(!registration.enableRegistration)
        #expect(!registration.enableRegistrationWithoutVerification)
        #expect(!registration.registrationRequiresToken)
        #expect(registration.registrationSharedSecret == nil)
        #expect(!registration.allowGuestAccess)
        #expect(registration.bcryptRounds == 12)
    }

    @Test("every rc_* limit has Synapse's default")
    func rateLimits() throws {
        let limits = try load(minimalYAML).config.rateLimits
        let expected: [(RateLimit, Double, Double)] = [
            (limits.message, 0.2, 10), (limits.registration, 0.17, 3), (limits.registrationTokenValidity, 0.1, 5),
            (limits.loginAddress, 0.003, 5), (limits.loginAccount, 0.003, 5), (limits.loginFailedAttempts, 0.17, 3),
            (limits.joinsLocal, 0.1, 10), (limits.joinsRemote, 0.01, 10), (limits.joinsPerRoom, 1, 10),
            (limits.keyRequests, 20, 100), (limits.threePIDValidation, 0.003, 5), (limits.invitesPerRoom, 0.3, 10),
            (limits.invitesPerUser, 0.003, 5), (limits.invitesPerIssuer, 0.3, 10), (limits.thirdPartyInvite, 0.0025, 5),
            (limits.mediaCreate, 10, 50), (limits.presencePerUser, 0.1, 1), (limits.delayedEventManagement, 1, 5),
            (limits.roomCreation, 0.016, 10), (limits.reports, 1, 5), (limits.userDirectory, 0.016, 200),
            (limits.profile, 1, 500),
        ]
        for (limit, perSecond, burst) in expected {
            #expect(limit == RateLimit(perSecond: perSecond, burstCount: burst))
        }
        #expect(limits.adminRedaction == nil)
        #expect(limits.federation == FederationRateLimit())
        #expect(limits.federation.windowSize == 1000 && limits.federation.sleepLimit == 10)
        #expect(limits.federation.sleepDelay == 500 && limits.federation.rejectLimit == 50 && limits.federation.concurrent == 3)
        #expect(limits.remoteMediaDownload == RateLimit(perSecond: 87 * 1024, burstCount: 500 * 1024 * 1024))
    }

    @Test("a config without worker keys is the main process, writing every stream")
    func mainProcess() throws {
        let worker = try load(minimalYAML).config.worker
        #expect(!worker.isWorker)
        #expect(worker.app == nil && worker.name == nil)
        #expect(worker.instanceName == "main")
        #expect(worker.streamWriters == StreamWriters())
        #expect(worker.streamWriters.events == ["main"] && worker.streamWriters.deviceLists == ["main"])
        #expect(worker.federationSenderInstances == ["main"])
        #expect(worker.runBackgroundTasksOn == "main")
        #expect(worker.replicationSecret == nil)
        #expect(worker.instanceMap.isEmpty)
    }
}
