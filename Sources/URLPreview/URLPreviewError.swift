public import MatrixTypes

/// Why a URL has no preview, answered with the status and code Synapse uses.
public enum URLPreviewError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an absolute http(s) URL.
    case invalidURL
    /// An entry of `url_preview_url_blacklist` matches the URL or one it led to.
    case blockedURL
    /// The URL names an IP address the IP range blacklist refuses.
    case blockedAddress
    /// The host has no address, or none the IP range blacklist allows.
    case unresolvable
    /// The answer is larger than `max_spider_size`.
    case tooLarge(limit: Int)
    /// The server answered with an error status.
    case errorStatus(Int)
    /// The answer is not an image, HTML or JSON.
    case unsupportedContentType(String)
    /// No answer: the server could not be reached, took too long, redirected too often, or broke off.
    case downloadFailed(String)
    /// The previewed image could not be stored; the text is for the server's log.
    case imageNotStored(String)

    public var description: String {
        switch self {
        case .downloadFailed(let detail): "Failed to download content: \(detail)"
        default: clientError.message
        }
    }
}

extension URLPreviewError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .invalidURL: .invalidParameter("Invalid URL: only absolute http and https URLs can be previewed")
        case .blockedURL: MatrixError(.unknown, "URL blocked by url pattern blocklist entry", status: 403)
        case .blockedAddress: MatrixError(.unknown, "IP address blocked", status: 403)
        case .unresolvable: MatrixError(.unknown, "DNS resolution failure during URL preview generation", status: 502)
        case .tooLarge(let limit): MatrixError(.tooLarge, "Requested file is too large > \(limit) bytes", status: 502)
        case .errorStatus(let status): MatrixError(.unknown, "Got error \(status)", status: 502)
        case .unsupportedContentType(let type): MatrixError(.unknown, "Requested file's content type not allowed for this operation: \(type)", status: 502)
        case .downloadFailed: MatrixError(.unknown, "Failed to download content", status: 502)
        case .imageNotStored: MatrixError(.unknown, "Internal server error")
        }
    }

    public var serverFault: String? {
        guard case .imageNotStored(let detail) = self else { return nil }
        return "a previewed image could not be stored: \(detail)"
    }
}
