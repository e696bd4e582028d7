/// Why a benchmark step failed; the phase tells the reader which part of the target is missing.
enum BenchError: Error, Sendable, CustomStringConvertible {
    /// The server answered with a non-success status.
    case http(method: String, path: String, status: UInt, errcode: String?, message: String?)
    /// The request never got an answer (connection refused, timeout, cancellation).
    case transport(method: String, path: String, reason: String)
    /// The answer was not the JSON the Client-Server API specifies.
    case malformedResponse(path: String, reason: String)
    /// A setup phase failed; the name says which (register, createRoom, join, initialSync).
    indirect case phase(String, underlying: BenchError)

    var description: String {
        switch self {
        case .http(let method, let path, let status, let errcode, let message):
            "\(method) \(path) -> HTTP \(status) \(errcode ?? "") \(message ?? "")".trimmingTrailingSpaces()
        case .transport(let method, let path, let reason):
            "\(method) \(path) failed: \(reason)"
        case .malformedResponse(let path, let reason):
            "\(path): malformed response: \(reason)"
        case .phase(let phase, let underlying):
            "\(phase) failed: \(underlying)"
        }
    }

    /// The failing phase, or nil for a bare request error.
    var phaseName: String? {
        if case .phase(let name, _) = self { return name }
        return nil
    }

    /// Wraps a request error with the setup phase it broke.
    static func during(_ phase: String, _ error: BenchError) -> BenchError {
        .phase(phase, underlying: error)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
