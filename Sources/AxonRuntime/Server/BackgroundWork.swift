import ServiceLifecycle

/// Work a process runs beside its listeners for its whole life (adding staged PDUs, sending to other servers),
/// cancelled when shutdown begins.
struct BackgroundWork: Service {
    let body: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
    }
}
