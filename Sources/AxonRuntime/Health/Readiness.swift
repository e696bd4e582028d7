/// The checks behind `/health/ready`; each returns a reason when the process cannot serve.
struct Readiness: Sendable {
    private let checks: [@Sendable () async -> String?]

    init(_ checks: [@Sendable () async -> String?]) {
        self.checks = checks
    }

    func problem() async -> String? {
        for check in checks {
            if let reason = await check() { return reason }
        }
        return nil
    }
}
