/// A rate limit applied inside the account services was exceeded (`M_LIMIT_EXCEEDED`).
public struct RateLimited: Error, Sendable, Equatable {
    public let retryAfterMilliseconds: Int
}
