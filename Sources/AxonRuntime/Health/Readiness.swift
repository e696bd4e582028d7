/// Why the process cannot serve right now: a short reason that is safe to answer to anyone, and the detail
/// (driver errors, host names) that only the log may carry.
struct ReadinessProblem: Sendable {
    let reason: String
    let detail: String?
}

/// The checks behind `/health/ready`; each returns a problem when the process cannot serve.
struct Readiness: Sendable {
    private let checks: [@Sendable () async -> ReadinessProblem?]

    init(_ checks: [@Sendable () async -> ReadinessProblem?]) {
        self.checks = checks
    }

    func problem() async -> ReadinessProblem? {
        for check in checks {
            if let problem = await check() { return problem }
        }
        return nil
    }
}
