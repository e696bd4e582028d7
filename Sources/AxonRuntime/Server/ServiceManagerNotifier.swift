#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import Synchronization

/// Tells the service manager how start-up and shutdown go (systemd's `Type=notify` protocol): one datagram per
/// state change to the Unix socket named by `NOTIFY_SOCKET` (a path, or an abstract name written with a leading
/// `@`). Without that variable (run by hand, or by another supervisor) nothing is sent. Sends never block: the
/// socket is local and each message is one non-blocking `sendto`.
final class ServiceManagerNotifier: Sendable {
    /// `sun_path`'s bytes: the path, or for an abstract name a NUL then the name.
    private let address: [UInt8]?
    private let parts: Int
    private let running = Atomic<Int>(0)
    private let logger: Logger

    /// - Parameter parts: how many parts (each listener, and the replication connections in worker mode) must be up
    ///   before the process reports ready.
    init(parts: Int, logger: Logger, socket: String? = getenv("NOTIFY_SOCKET").map { String(cString: $0) }) {
        self.parts = parts
        self.logger = logger
        guard let socket, !socket.isEmpty else {
            address = nil
            return
        }
        address = socket.hasPrefix("@") ? [0] + Array(socket.utf8.dropFirst()) : Array(socket.utf8)
    }

    /// One part is up; once all are (and so the schema is migrated and every service built), `READY=1`.
    func partReady() {
        if running.add(1, ordering: .relaxed).newValue == parts { send("READY=1\nSTATUS=Serving") }
    }

    /// Shutdown began (SIGTERM or SIGINT): `STOPPING=1`, so the manager waits for the exit instead of calling it a
    /// crash.
    func stopping() {
        send("STOPPING=1\nSTATUS=Stopping")
    }

    private func send(_ message: String) {
        guard let address else { return }
        var socketAddress = sockaddr_un()
        let capacity = MemoryLayout.size(ofValue: socketAddress.sun_path)
        guard address.count < capacity else {
            logger.warning("NOTIFY_SOCKET is too long for a Unix socket address; not notifying the service manager")
            return
        }
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { path in path.copyBytes(from: address) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + address.count)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            logger.warning("could not open a socket to notify the service manager", metadata: ["errno": "\(errno)"])
            return
        }
        defer { close(descriptor) }
        let sent = Array(message.utf8).withUnsafeBytes { bytes in
            withUnsafePointer(to: &socketAddress) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), generic, length)
                }
            }
        }
        if sent < 0 { logger.warning("could not notify the service manager", metadata: ["errno": "\(errno)"]) }
    }
}

/// Sends `STOPPING=1` when the service group begins a graceful shutdown.
struct ServiceManagerShutdownWatch: Service {
    let notifier: ServiceManagerNotifier

    func run() async {
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
