import AxonConfig
import CoreMetrics
import Hummingbird
import HummingbirdTLS
import Logging
import MatrixHTTP
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Storage
import UnixSignals

/// Starts one Axon process: config, database, listeners, and a service group that stops on SIGTERM/SIGINT.
enum ProcessLauncher {
    static func run(role: ProcessRole, configPaths: [String]) async throws {
        LogSetup.bootstrap()
        let logger = Logger(label: "axon.\(role.rawValue)")
        let loaded = try ConfigLoading.load(configPaths, logger: logger)
        let config = loaded.config
        try RoleRequirements.check(role: role, config: config)
        // Before anything creates a counter: a counter reports to the backend bootstrapped when it was made.
        let metrics = config.server.enableMetrics ? PrometheusCollectorRegistry() : nil
        if let metrics { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics)) }

        let database = try await DatabaseOpener.open(config.database, migrate: role == .main, logger: logger)
        // A missing or damaged key stops start-up here rather than at the first request that signs.
        let signingKey = try SigningKeyStore.load(path: config.keys.signingKeyPath)
        let composition = try await Composition(config: config, role: role, database: database, signingKey: signingKey, metrics: metrics, logger: logger)

        let group = MultiThreadedEventLoopGroup.singleton
        let (plans, skipped) = try ListenerPlan.plans(
            for: config.listenersToServe, role: role, metricsEnabled: metrics != nil, server: config.server
        )
        let (usable, unbindable) = await BindProbe.usableAddresses(plans, group: group)
        for note in skipped + unbindable { logger.warning("\(note)") }
        guard !usable.isEmpty else {
            await database.close()
            throw StartupError("No HTTP listener could be started; check 'listeners' in the config.")
        }

        let serviceManager = ServiceManagerNotifier(parts: usable.count + (composition.replication == nil ? 0 : 1), logger: logger)
        if let replication = composition.replication {
            Task {
                await replication.waitUntilConnected()
                serviceManager.partReady()
            }
        }
        let applications: [any Service] = try usable.map { plan in
            Application(
                responder: composition.responder(listenerResources: plan.served.resources, trustForwardedFor: plan.trustForwardedFor),
                server: try plan.tls.map { try .tls(.http1(), tlsConfiguration: $0.configuration) } ?? .http1(),
                configuration: ApplicationConfiguration(address: plan.address.bindAddress, serverName: "Axon"),
                onServerRunning: { _ in
                    logger.info("listening on \(plan.address)", metadata: ["resources": "\(plan.served.resources.map(\.rawValue).sorted())"])
                    serviceManager.partReady()
                },
                eventLoopGroupProvider: .shared(group),
                logger: logger
            )
        }
        let serviceGroup = ServiceGroup(
            configuration: .init(
                services: applications.map { .init(service: $0) } + (composition.replication.map { [.init(service: $0)] } ?? [])
                    + composition.background.map { .init(service: $0) }
                    + [.init(service: ServiceManagerShutdownWatch(notifier: serviceManager))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
        )
        do {
            try await serviceGroup.run()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        logger.info("stopped")
    }
}

extension ListenerPlan.Address {
    var bindAddress: BindAddress {
        switch self {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
    }
}
