import HTTPTypes
public import Logging
public import MatrixTypes

/// The one place where Swift errors become the spec's error responses.
public enum ErrorMapping {
    /// The response for any error: the spec's error object, plus the fields some errors carry (the flows of a
    /// user-interactive-auth challenge, `soft_logout` for a refused token).
    public static func response(for error: any Error, logger: Logger) -> MatrixResponse {
        let matrixError = matrixError(for: error, logger: logger)
        if let body = (error as? any ClientFacingError)?.responseBody {
            return .json(body, status: .init(code: matrixError.status))
        }
        var body = body(of: matrixError)
        if case AuthenticationError.unknownToken = error { body["soft_logout"] = false }
        return .json(body, status: .init(code: matrixError.status))
    }

    /// Maps any error to the `MatrixError` a client sees. Errors that are not the client's fault are
    /// logged here with their detail and answered with a generic message, never a stack trace.
    public static func matrixError(for error: any Error, logger: Logger) -> MatrixError {
        if let mapped = authenticationError(error) { return mapped }
        switch error {
        case let error as any ClientFacingError:
            if let fault = error.serverFault { logger.error("request failed", metadata: ["fault": "\(fault)"]) }
            return error.clientError
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
        var object: JSONObject = ["errcode": .string(error.code.rawValue), "error": .string(error.message)]
        if let retry = error.retryAfterMilliseconds { object["retry_after_ms"] = .integer(Int64(retry)) }
        return .object(object)
    }

    private static func authenticationError(_ error: any Error) -> MatrixError? {
        guard let error = error as? AuthenticationError else { return nil }
        return switch error {
        case .missingToken(let message): MatrixError(.missingToken, message)
        case .unknownToken: MatrixError(.unknownToken, "Unrecognised access token")
        case .guestAccessForbidden: MatrixError(.guestAccessForbidden, "Guest access not allowed")
        }
    }
}
