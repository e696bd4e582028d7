public import Logging
public import MatrixTypes

/// The one place where Swift errors become the spec's error responses.
public enum ErrorMapping {
    /// Maps any error to the `MatrixError` a client sees. Errors that are not the client's fault are
    /// logged here with their detail and answered with a generic message, never a stack trace.
    public static func matrixError(for error: any Error, logger: Logger) -> MatrixError {
        switch error {
        case let error as MatrixError:
            return error
        case let error as JSONParseError:
            return .notJSON("Content not JSON: \(error)")
        case is CancellationError:
            return .unavailable("The request was cancelled.")
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return MatrixError(.unknown, "Internal server error")
        }
    }

    /// The spec's error body: `{"errcode": …, "error": …}` plus `retry_after_ms` when rate limited.
    public static func body(of error: MatrixError) -> JSONValue {
        var object: [String: JSONValue] = ["errcode": .string(error.code.rawValue), "error": .string(error.message)]
        if let retry = error.retryAfterMilliseconds { object["retry_after_ms"] = .integer(Int64(retry)) }
        return .object(object)
    }
}
