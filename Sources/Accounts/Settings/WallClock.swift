import Foundation

/// Milliseconds since the Unix epoch, injectable so tests can expire nonces and sessions without sleeping.
public struct WallClock: Sendable {
    public let now: @Sendable () -> Int64

    public init(_ now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    public static let system = WallClock { Int64(Date().timeIntervalSince1970 * 1000) }
}
