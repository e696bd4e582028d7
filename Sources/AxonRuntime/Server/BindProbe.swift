import NIOCore
import NIOPosix

/// Decides which configured bind addresses to use, as Synapse does: an address the host cannot bind at all
/// (e.g. `::1` on a host without IPv6) is skipped with a warning, and `0.0.0.0` is dropped when `::` on the
/// same port is also listed, since Linux's `::` socket already accepts IPv4.
enum BindProbe {
    static func usableAddresses(_ plans: [ListenerPlan], group: any EventLoopGroup) async -> (usable: [ListenerPlan], skipped: [String]) {
        var usable: [ListenerPlan] = []
        var skipped: [String] = []
        for plan in plans {
            guard case .tcp(let host, let port) = plan.address else {
                usable.append(plan)
                continue
            }
            let dualStack = plans.contains { if case .tcp("::", port) = $0.address { true } else { false } }
            if host == "0.0.0.0" && dualStack {
                continue
            }
            if let reason = await bindFailure(host: host, group: group) {
                skipped.append("not listening on \(plan.address): \(reason)")
                continue
            }
            usable.append(plan)
        }
        return (usable, skipped)
    }

    /// Binds an ephemeral port on `host` to learn whether the address exists on this machine.
    private static func bindFailure(host: String, group: any EventLoopGroup) async -> String? {
        do {
            let channel = try await ServerBootstrap(group: group).bind(host: host, port: 0).get()
            try await channel.close()
            return nil
        } catch {
            return "\(error)"
        }
    }
}
