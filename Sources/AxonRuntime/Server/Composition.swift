import AccountData
import Accounts
import AdminAPI
public import AxonConfig
import ClientAPI
import Directory
import E2EE
import Federation
import FederationAPI
import FederationSender
import Filters
import KeyBackup
import Media
import Thumbnails
import URLPreview
public import Logging
public import MatrixCrypto
public import MatrixHTTP
import MatrixTypes
import Presence
import Profiles
public import Prometheus
import Receipts
import Replication
import Rooms
import RoomFederation
import RoomStore
import Spaces
public import Storage
import Sync
import Typing
import VoIP

/// Wires services and route collections for one process. Tests build the same composition, so what
/// they exercise is what `axon` serves.
public struct Composition: Sendable {
    public let config: HomeserverConfig
    public let role: ProcessRole
    public let database: any Database
    public let accounts: AccountServices
    public let registry: RouteRegistry
    let readiness: Readiness
    /// The Redis connections in worker mode, run for the life of the process.
    let replication: ReplicationLink?
    /// Forwarding between a worker and the main process.
    let forwarding: MatrixResponder.Replication
    /// Checks federation requests' signatures, in the processes that serve federation routes.
    let federation: FederationServices?
    /// What the process runs beside its listeners.
    let background: [BackgroundWork]
    let logger: Logger

    /// Room services exist in the main process, which writes the streams, and in client readers, which follow them;
    /// each process answers only its role's routes. `metrics`: the registry the process bootstrapped with
    /// `enable_metrics`, served on metrics listeners and resources.
    public init(
        config: HomeserverConfig, role: ProcessRole, database: any Database, signingKey: SigningKey,
        metrics: PrometheusCollectorRegistry? = nil, logger: Logger
    ) async throws {
        self.config = config
        self.role = role
        self.database = database
        self.logger = logger
        let streams: ProcessStreams? =
            [.main, .clientReader, .eventPersister, .federationReceiver, .federationSender].contains(role)
            ? try await ProcessStreams.open(config: config, role: role, database: database, logger: logger) : nil
        replication = streams?.link
        forwarding = Self.forwarding(config: config, role: role, database: database, streams: streams, logger: logger)
        let readiness = Readiness(Self.readinessChecks(database: database, replication: streams?.link))
        self.readiness = readiness
        guard let serverName = try? ServerName(config.server.serverName) else {
            preconditionFailure("the config loader accepts only valid server names, not \(config.server.serverName)")
        }
        // Without Redis there are no workers (they need it), so this process alone checks and revokes tokens.
        let tokenCache = AccessTokenCache(capacity: role == .main && !config.redis.enabled ? 10_000 : 0)
        // Kept only where every change to them passes (the monolith), as access tokens are.
        let keyCounts = KeyCountCache(capacity: role == .main && !config.redis.enabled ? 10_000 : 0)
        let accounts = AccountServices(
            database: database, settings: Self.accountSettings(config, serverName: serverName), limits: Self.accountLimits(config.rateLimits),
            tokenCache: tokenCache, deviceRemoval: streams.map { DeviceKeysRemoval(deviceLists: $0.deviceLists, keyCounts: keyCounts) },
            deactivationCleanup: { userID, transaction in try KeyBackupService.deleteEverything(of: userID, in: transaction) }
        )
        self.accounts = accounts
        // Federation in the processes that answer other servers or ask them on their clients' behalf.
        let federation =
            [.main, .federationReceiver, .clientReader, .federationSender, .media].contains(role)
            ? try FederationServices(config: config, serverName: serverName, signingKey: signingKey, logger: logger) : nil
        self.federation = federation
        var roomRoutes: [Route] = []
        var writer: (any EventWriting)?
        var ephemeral: (typing: TypingService, presence: PresenceService)?
        if let streams, role == .eventPersister {
            roomRoutes = Self.persisterRoutes(config: config, streams: streams, serverName: serverName, signingKey: signingKey, logger: logger)
        } else if let streams, role != .federationSender {
            let eventWriter = Self.eventWriter(config: config, streams: streams, serverName: serverName, signingKey: signingKey, logger: logger)
            writer = eventWriter
            (roomRoutes, ephemeral) = Self.roomRoutes(
                config: config, role: role, database: database, streams: streams, writer: eventWriter, accounts: accounts,
                keyCounts: keyCounts, serverName: serverName, signingKey: signingKey, federation: federation, logger: logger
            )
        }
        var federationRoutes: [Route] = []
        var background: [BackgroundWork] = []
        var sender: FederationSender?
        if let federation, let streams, [.main, .federationSender].contains(role),
            config.worker.federationSenderInstances.contains(config.worker.instanceName)
        {
            let outbound = FederationSender(
                database: database, store: streams.store, bus: streams.bus, receipts: streams.receipts, client: federation.client, serverName: serverName,
                instances: config.worker.federationSenderInstances, instance: config.worker.instanceName, logger: logger
            )
            sender = outbound
            background.append(BackgroundWork { await outbound.run() })
            // A federation receiver in another process announces the servers it hears from.
            streams.link?.follower?.onRemoteServerUp { outbound.wake($0) }
        }
        if let federation, [.main, .federationReceiver].contains(role) {
            federationRoutes = Self.federationRoutes(
                config: config, database: database, serverName: serverName, signingKey: signingKey, federation: federation
            )
            if let streams, let writer {
                let verifier = federation.verifier
                // Typing and receipts are written by the main process alone; a federation receiver hands EDUs to it.
                let mainEDUs = role == .main ? ephemeral.map {
                    EDUIntake(
                        typing: $0.typing, receipts: streams.receipts, presence: $0.presence,
                        encryption: EncryptionEDUs(toDevice: streams.toDevice, deviceLists: streams.deviceLists), store: streams.store, logger: logger
                    )
                } : nil
                let edus: (any EDUReceiving)? =
                    mainEDUs ?? MainProcessClient(config: config, follower: streams.link?.follower, logger: logger)
                // Without a sender here, the one elsewhere learns over replication that the origin is back.
                let announcer = sender == nil ? streams.link.map { ServerUpAnnouncer(publisher: $0.publisher) } : nil
                let intake = TransactionIntake(
                    database: database, store: streams.store, writer: writer, verifier: verifier, client: federation.client,
                    instance: config.worker.instanceName, logger: logger, edus: edus,
                    heardFrom: { [sender, announcer] origin in
                        sender?.wake(origin)
                        announcer?.announce(origin)
                    }
                )
                if let mainEDUs {
                    federationRoutes += ForwardedEDURoutes.routes(mainEDUs, secret: ReplicationSecret(config.worker.replicationSecret?.revealed))
                }
                background.append(BackgroundWork { await intake.run() })
                federationRoutes += MembershipHandshakeRoutes.routes(
                    MembershipHandshakes(store: streams.store, writer: writer, verifier: verifier, serverName: serverName, signingKey: signingKey)
                ) + FederationTransactionRoutes.routes(intake)
                    + FederationRoomReadRoutes.routes(FederationRoomReads(store: streams.store, serverName: serverName))
                    + FederationInviteRoutes.routes(
                        FederationInvites(store: streams.store, writer: writer, verifier: verifier, serverName: serverName, signingKey: signingKey)
                    )
                    + FederationKeyRoutes.routes(
                        KeyService(database: database, deviceLists: streams.deviceLists, serverName: serverName, remote: nil, counts: keyCounts)
                    )
            }
        }
        if (config.media.backgroundJobsInstance ?? WorkerConfig.mainInstanceName) == config.worker.instanceName {
            let cleanup = Self.mediaCleanup(config: config, database: database, logger: logger)
            background.append(BackgroundWork { await cleanup.run() })
        }
        self.background = background
        registry = RouteRegistry(
            HealthRoutes.routes(readiness: readiness) + VersionsRoutes.routes() + (metrics.map(MetricsRoutes.routes) ?? [])
                + Self.accountRoutes(accounts, config: config, serverName: serverName) + roomRoutes + federationRoutes
                + VoIPRoutes.routes(TURNCredentialService(settings: Self.turnSettings(config.voip)), limiter: RateLimiter(config.rateLimits.voip))
                + (try Self.mediaRoutes(config: config, role: role, database: database, serverName: serverName, federation: federation, logger: logger))
        )
    }

    /// The key and federation routes this version serves: the signing keys other servers check us with, the
    /// federation version, the notary key API, and profile queries.
    private static func federationRoutes(
        config: HomeserverConfig, database: any Database, serverName: ServerName, signingKey: SigningKey, federation: FederationServices
    ) -> [Route] {
        let publication = federation.publication
        let profiles = ProfileReader(database: database, users: UserLookup(database: database))
        return ServerKeyRoutes.routes(publication: publication) + FederationVersionRoutes.routes()
            + KeyQueryRoutes.routes(publication: publication, remote: federation.keys, serverName: serverName, signingKey: signingKey)
            + QueryRoutes.routes(profiles: profiles, serverName: serverName, allowed: config.server.allowProfileLookupOverFederation)
    }

    /// An event persister's room writer, for the rooms it owns, behind its replication endpoint.
    private static func persisterRoutes(
        config: HomeserverConfig, streams: ProcessStreams, serverName: ServerName, signingKey: SigningKey, logger: Logger
    ) -> [Route] {
        let writer = roomWriter(config: config, streams: streams, serverName: serverName, signingKey: signingKey, logger: logger)
        return ReplicationRoutes.persisterRoutes(writer: writer, secret: ReplicationSecret(config.worker.replicationSecret?.revealed))
    }

    /// This process's room writer when it writes events, routed to the owning persister when others do too.
    private static func eventWriter(
        config: HomeserverConfig, streams: ProcessStreams, serverName: ServerName, signingKey: SigningKey, logger: Logger
    ) -> any EventWriting {
        let local =
            streams.writesEvents
            ? roomWriter(config: config, streams: streams, serverName: serverName, signingKey: signingKey, logger: logger) : nil
        if let local, config.worker.streamWriters.events == [config.worker.instanceName] { return local }
        return RoutedEventWriter(config: config, local: local, follower: streams.link?.follower, logger: logger)
    }

    /// The room writer of an events writer, creating only rooms it owns (`RoomOwnership`).
    private static func roomWriter(
        config: HomeserverConfig, streams: ProcessStreams, serverName: ServerName, signingKey: SigningKey, logger: Logger
    ) -> RoomWriter {
        let ownership = RoomOwnership(writers: config.worker.streamWriters.events)
        let instance = config.worker.instanceName
        return RoomWriter(
            store: streams.store, serverName: serverName, signingKey: signingKey, bus: streams.bus, logger: logger,
            owns: { ownership.owner(of: $0) == instance }
        )
    }

    /// Rooms, sync, profiles, account data, receipts, typing, filters, key backups and the directory, sharing one bus. A
    /// client reader builds the same services over the streams it follows; the writing ones are never reached there,
    /// because it answers only its role's routes.
    private static func roomRoutes(
        config: HomeserverConfig, role: ProcessRole, database: any Database, streams: ProcessStreams, writer: any EventWriting,
        accounts: AccountServices, keyCounts: KeyCountCache, serverName: ServerName, signingKey: SigningKey, federation: FederationServices?,
        logger: Logger
    ) -> (routes: [Route], ephemeral: (typing: TypingService, presence: PresenceService)) {
        let bus = streams.bus
        let store = streams.store
        let users = UserLookup(database: database)
        let profiles = ProfileService(
            database: database, users: users, writer: writer, store: store,
            sharedRoomsOnly: config.server.limitProfileRequestsToUsersWhoShareRooms,
            remote: federation.map { FederatedProfiles(serverName: serverName, client: $0.client) }, logger: logger
        )
        let publication = PublicationPolicy(
            rules: config.server.roomListPublicationRules.map { .init(userID: $0.userID, roomID: $0.roomID, alias: $0.alias, allow: $0.allow) },
            users: users
        )
        let remoteDirectories = federation.map { FederatedDirectories(client: $0.client) }
        let rooms = RoomService(
            store: store, writer: writer, profiles: profiles,
            aliases: RoomAliasRegistry(database: database, publication: publication, remote: remoteDirectories),
            serverName: serverName, defaultVersion: RoomVersion(identifier: config.server.defaultRoomVersion) ?? .v10,
            limits: Self.roomLimits(config.rateLimits),
            remote: federation.map {
                FederatedMemberships(
                    client: $0.client, store: store, verifier: $0.verifier, writer: writer, serverName: serverName, signingKey: signingKey,
                    logger: logger
                )
            },
            logger: logger
        )
        let accountData = streams.accountData
        let reader = RoomReader(
            store: store, erasedUsers: ErasedUsers(database: database), accountData: accountData, events: streams.eventWriters,
            backfill: federation.map {
                FederationBackfill(client: $0.client, store: store, verifier: $0.verifier, writer: writer, serverName: serverName, logger: logger)
            }
        )
        let receipts = streams.receipts
        let typing = TypingService(bus: bus, reader: reader)
        // Typing and presence live in the main process; other processes keep copies and forward changes to it.
        let following = streams.link != nil && role != .main
        let presence = PresenceService(
            enabled: config.server.presenceEnabled, epoch: typing.epoch, store: store, bus: bus,
            forwarding: following ? MainProcessClient(config: config, follower: streams.link?.follower, logger: logger) : nil
        )
        if following {
            typing.follow(bus)
            presence.follow(bus)
        }
        let filters = FilterService(database: database)
        let notifier = Notifier(bus: bus, writers: streams.eventWriters, remembersRooms: !streams.followsEvents)
        let keys = KeyService(
            database: database, deviceLists: streams.deviceLists, serverName: serverName,
            remote: federation.map { FederatedDeviceKeys(client: $0.client) }, counts: keyCounts
        )
        let sources = SyncSources(
            reader: reader, timeline: store, state: store, memberships: store, receipts: receipts, accountData: accountData, typing: typing,
            presence: presence, encryption: EncryptionReads(toDevice: streams.toDevice, deviceLists: streams.deviceLists, keys: keys)
        )
        let sync = SyncService(sources: sources, notifier: notifier, logger: logger)
        let directory = DirectoryService(
            database: database, reader: reader, writer: writer, serverName: serverName, publication: publication,
            remote: remoteDirectories
        )
        let hierarchy = SpaceHierarchy(
            database: database, store: store, serverName: serverName, remote: federation.map { FederatedHierarchies(client: $0.client) }
        )
        // One `rc_message` bucket per user, whichever route writes the event.
        let messageLimiter = RateLimiter(config.rateLimits.message)
        let routes = RoomMembershipRoutes.routes(rooms, messageLimiter: messageLimiter)
            + RoomEventRoutes.routes(rooms, messageLimiter: messageLimiter)
            + RoomReadRoutes.routes(reader)
            + SyncRoutes.routes(sync, filters: filters)
            + EventStreamRoutes.routes(EventStreamService(sync: sync, sources: sources, notifier: notifier))
            + InitialSyncRoutes.routes(InitialSyncService(sync: sync, sources: sources, directory: directory))
            + ProfileRoutes.routes(
                profiles, lookupLimiter: RateLimiter(config.rateLimits.profile), messageLimiter: messageLimiter,
                requireAuthentication: config.server.requireAuthForProfileRequests
            )
            + AccountDataRoutes.routes(accountData, writeLimiter: RateLimiter(config.rateLimits.accountData))
            + EphemeralRoutes.routes(
                typing: typing, markers: ReadMarkerService(receipts: receipts, accountData: accountData, reader: reader),
                limiters: .init(typing: RateLimiter(config.rateLimits.typing), receipts: RateLimiter(config.rateLimits.receipts))
            )
            + PresenceRoutes.routes(presence, limiter: RateLimiter(config.rateLimits.presencePerUser))
            + FilterRoutes.routes(filters)
            + KeyBackupRoutes.routes(KeyBackupService(database: database))
            + DirectoryRoutes.routes(
                directory,
                allowPublicRoomsWithoutAuth: config.server.allowPublicRoomsWithoutAuth
            )
            + ReplicationRoutes.routes(presence: presence, secret: ReplicationSecret(config.worker.replicationSecret?.revealed))
            + FederationDirectoryRoutes.routes(directory, publicRoomsAllowed: config.server.allowPublicRoomsOverFederation)
            + HierarchyRoutes.routes(hierarchy)
            + KeyRoutes.routes(keys: keys, deviceLists: streams.deviceLists)
            + ToDeviceRoutes.routes(streams.toDevice)
            + CrossSigningRoutes.routes(
                CrossSigningService(database: database, deviceLists: streams.deviceLists, reauthentication: accounts.reauthentication, keys: keys)
            )
            + FederationHierarchyRoutes.routes(FederationHierarchyAnswers(hierarchy: hierarchy, store: store))
        return (routes, (typing, presence))
    }

    /// The media repository, in the media role and in a main process that keeps `enable_media_repo` on.
    private static func mediaRoutes(
        config: HomeserverConfig, role: ProcessRole, database: any Database, serverName: ServerName, federation: FederationServices?,
        logger: Logger
    ) throws -> [Route] {
        guard role == .media || role == .main && config.media.enableMediaRepo else { return [] }
        let media = config.media
        let files = MediaFiles(root: media.storePath)
        let thumbnails = MediaThumbnails(
            database: database, files: files,
            settings: .init(
                sizes: media.thumbnailSizes.map { ThumbnailSize(width: $0.width, height: $0.height, method: $0.method == .crop ? .crop : .scale) },
                dynamic: media.dynamicThumbnails, maxImagePixels: media.maxImagePixels
            ),
            logger: logger
        )
        let repository = MediaRepository(
            database: database, files: files, thumbnails: thumbnails,
            settings: MediaSettings(
                serverName: serverName, maxUploadSize: media.maxUploadSize, authenticatedMedia: media.enableAuthenticatedMedia,
                maxPendingUploads: media.maxPendingMediaUploads, unusedExpiration: Int64(media.unusedExpirationTime),
                blockedOrigins: media.preventMediaDownloadsFrom
            ),
            remote: federation.map { FederatedMedia(client: $0.client) }
        )
        var routes = MediaRoutes.routes(repository, createLimiter: RateLimiter(config.rateLimits.mediaCreate))
            + FederationMediaRoutes.routes(repository)
        if config.urlPreview.enabled {
            let previews = config.urlPreview
            let settings = URLPreviewSettings(
                addressPolicy: OutboundAddressPolicy(blacklist: previews.ipRangeBlacklist, whitelist: previews.ipRangeWhitelist),
                urlBlacklist: previews.urlBlacklist, acceptLanguage: previews.acceptLanguage, maxSpiderSize: previews.maxSpiderSize,
                oEmbedEndpoints: previews.oembed.endpoints.map { OEmbedEndpoint(url: $0.url, schemes: $0.schemes, formats: $0.formats) }
            )
            routes += PreviewRoutes.routes(try URLPreviewService(settings: settings, images: PreviewImages(media: repository), logger: logger))
        }
        return routes
    }

    /// The media repository's upkeep, for the one instance that runs it (`media_instance_running_background_jobs`, the
    /// main process unless named).
    private static func mediaCleanup(config: HomeserverConfig, database: any Database, logger: Logger) -> MediaCleanup {
        let media = config.media
        return MediaCleanup(
            database: database, files: MediaFiles(root: media.storePath),
            lifetimes: .init(
                unusedCreation: Int64(media.unusedExpirationTime), remoteMedia: media.remoteMediaLifetime.map(Int64.init),
                localMedia: media.localMediaLifetime.map(Int64.init)
            ),
            logger: logger
        )
    }

    /// The responder for one listener. The monolith (`main`) answers every role's routes.
    public func responder(listenerResources: some Sequence<RouteResource>, trustForwardedFor: Bool) -> MatrixResponder {
        MatrixResponder(
            registry: registry,
            served: ServedRoutes(listenerResources: listenerResources, role: role == .main ? nil : role, forwardsToMain: forwarding.forwarding != nil),
            limits: BodyLimits(upload: config.media.maxUploadSize),
            trustForwardedFor: trustForwardedFor,
            accessTokens: accounts.tokens,
            federation: federation?.authenticator,
            federationLimiter: federation?.limiter,
            replication: forwarding,
            logger: logger
        )
    }

    /// A client reader forwards the main process's routes to it and catches up before other reads; the main process
    /// answers forwarded requests with its positions.
    private static func forwarding(
        config: HomeserverConfig, role: ProcessRole, database: any Database, streams: ProcessStreams?, logger: Logger
    ) -> MatrixResponder.Replication {
        let secret = ReplicationSecret(config.worker.replicationSecret?.revealed)
        guard config.redis.enabled, let streams else { return MatrixResponder.Replication(secret: secret) }
        if role == .main { return MatrixResponder.Replication(secret: secret, positions: { streams.writtenPositions() }) }
        guard role == .clientReader else { return MatrixResponder.Replication(secret: secret) }
        var catchUp: (@Sendable () async -> Void)?
        if let follower = streams.link?.follower {
            let barrier = WriterCatchUp(follower: follower, database: database, logger: logger)
            catchUp = { await barrier.wait() }
        }
        return MatrixResponder.Replication(
            forwarding: MainProcessClient(config: config, follower: streams.link?.follower, logger: logger), secret: secret, catchUp: catchUp
        )
    }

    private static func accountRoutes(_ accounts: AccountServices, config: HomeserverConfig, serverName: ServerName) -> [Route] {
        // `JSONValue` is itself nil-literal convertible, so spell out the optional's absence.
        let clientDiscovery: JSONValue? =
            config.server.servesClientWellKnown ? .some(WellKnownRoutes.clientDiscovery(publicBaseURL: config.server.publicBaseURL)) : .none
        return RegistrationRoutes.routes(accounts.registration, homeServer: serverName)
            + LoginRoutes.routes(accounts.login, addressLimiter: RateLimiter(config.rateLimits.loginAddress), wellKnown: clientDiscovery)
            + LogoutRoutes.routes(accounts.logout)
            + AccountRoutes.routes(accounts.account)
            + DeviceRoutes.routes(accounts.devices)
            + WhoisRoutes.routes(accounts.devices)
            + OpenIDRoutes.routes(accounts.openID)
            + CapabilitiesRoutes.routes(defaultRoomVersion: config.server.defaultRoomVersion)
            + WellKnownRoutes.routes(
                client: clientDiscovery,
                server: config.server.serveServerWellKnown ? WellKnownRoutes.serverDelegation(serverName: serverName) : nil
            )
            + ThirdPartyRoutes.routes()
            + SharedSecretRegistrationRoutes.routes(accounts.sharedSecret, homeServer: serverName)
    }

    /// The `turn_*` keys; the secrets leave their `Secret` wrappers only here.
    static func turnSettings(_ voip: VoIPConfig) -> TURNSettings {
        TURNSettings(
            uris: voip.turnURIs, sharedSecret: voip.turnSharedSecret?.revealed, username: voip.turnUsername,
            password: voip.turnPassword?.revealed, lifetimeMilliseconds: Int64(voip.turnUserLifetime), guestsAllowed: voip.turnAllowGuests
        )
    }

    private static func accountSettings(_ config: HomeserverConfig, serverName: ServerName) -> AccountSettings {
        let registration = config.registration
        return AccountSettings(
            serverName: serverName, registrationEnabled: registration.enableRegistration,
            registrationRequiresToken: registration.registrationRequiresToken, guestAccessAllowed: registration.allowGuestAccess,
            registrationSharedSecret: registration.registrationSharedSecret?.revealed,
            passwordCost: PasswordCost(bcryptRounds: registration.bcryptRounds)
        )
    }

    /// The room actions' `rc_*` buckets (`rc_joins.remote` waits for federated joins).
    private static func roomLimits(_ limits: RateLimitConfig) -> RoomLimits {
        RoomLimits(
            roomCreation: RateLimiter(limits.roomCreation), joinsLocal: RateLimiter(limits.joinsLocal),
            joinsPerRoom: RateLimiter(limits.joinsPerRoom), invitesPerRoom: RateLimiter(limits.invitesPerRoom),
            invitesPerUser: RateLimiter(limits.invitesPerUser), invitesPerIssuer: RateLimiter(limits.invitesPerIssuer)
        )
    }

    /// One bucket set per process, as in Synapse; workers each count their own requests.
    private static func accountLimits(_ limits: RateLimitConfig) -> AccountLimits {
        AccountLimits(
            registration: RateLimiter(limits.registration), loginAccount: RateLimiter(limits.loginAccount),
            loginFailures: RateLimiter(limits.loginFailedAttempts), reauthenticationFailures: RateLimiter(limits.loginFailedAttempts)
        )
    }

    private static func readinessChecks(
        database: any Database, replication: ReplicationLink?
    ) -> [@Sendable () async -> ReadinessProblem?] {
        var checks: [@Sendable () async -> ReadinessProblem?] = [
            {
                do {
                    try await database.ping()
                    return nil
                } catch {
                    return ReadinessProblem(reason: "database unavailable", detail: "\(error)")
                }
            }
        ]
        if let replication {
            checks.append { replication.problem() }
        }
        return checks
    }
}

extension RateLimiter {
    /// A limiter for one `rc_*` setting.
    convenience init(_ limit: RateLimit) {
        self.init(perSecond: limit.perSecond, burstCount: limit.burstCount)
    }
}
