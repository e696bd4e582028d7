import CHiredis
import Foundation

/// A failure talking to Redis; the message is hiredis's or the server's, never a password.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

/// One blocking hiredis connection. Every call blocks its thread, so only the publisher's and the subscriber's own
/// threads use one, never an event loop. Not thread-safe, except `interrupt`, which another thread may call to
/// make a blocked read return.
final class RedisConnection {
    /// A reply reduced to what replication reads.
    enum Reply: Equatable {
        case string([UInt8])
        case integer(Int64)
        case array([Reply])
        case status(String)
        case null
    }

    private let context: UnsafeMutablePointer<redisContext>

    /// Connects, logs in and selects the database; `timeout` bounds the connect and every later read and write.
    init(_ endpoint: RedisEndpoint, timeout: Duration) throws(RedisError) {
        let limit = Self.timeval(timeout)
        let made: UnsafeMutablePointer<redisContext>? =
            switch endpoint.address {
            case .tcp(let host, let port): redisConnectWithTimeout(host, Int32(port), limit)
            case .unix(let path): redisConnectUnixWithTimeout(path, limit)
            }
        guard let made else { throw RedisError(description: "cannot allocate a Redis connection") }
        // From here a thrown error still runs `deinit`, which frees the context.
        context = made
        if context.pointee.err != 0 {
            throw RedisError(description: "cannot connect to \(endpoint): \(Self.errorText(context))")
        }
        _ = redisSetTimeout(context, limit)
        _ = redisEnableKeepAlive(context)
        if let password = endpoint.password {
            _ = try command(endpoint.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if let database = endpoint.databaseID { _ = try command(["SELECT", String(database)]) }
    }

    deinit {
        redisFree(context)
    }

    /// Sends one command and reads its reply; a Redis error reply throws.
    func command(_ arguments: [String]) throws(RedisError) -> Reply {
        let raw = Self.withArgv(arguments) { count, argv, lengths in redisCommandArgv(context, count, argv, lengths) }
        return try take(raw)
    }

    /// Reads the next reply the server pushes (a subscription's messages); throws when the read times out or the
    /// connection fails.
    func nextReply() throws(RedisError) -> Reply {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK else { throw RedisError(description: Self.errorText(context)) }
        return try take(raw)
    }

    /// Makes a read blocked on another thread return with an error.
    func interrupt() {
        _ = shutdown(context.pointee.fd, Int32(SHUT_RDWR))
    }

    private func take(_ raw: UnsafeMutableRawPointer?) throws(RedisError) -> Reply {
        guard let raw else { throw RedisError(description: Self.errorText(context)) }
        defer { freeReplyObject(raw) }
        return try Self.convert(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func convert(_ reply: UnsafeMutablePointer<redisReply>) throws(RedisError) -> Reply {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING: return .string(bytes(value))
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(value.integer)
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ERROR: throw RedisError(description: "Redis answered: " + String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var elements: [Reply] = []
            for index in 0..<value.elements {
                guard let element = value.element[index] else { continue }
                elements.append(try convert(element))
            }
            return .array(elements)
        default: return .null
        }
    }

    private static func bytes(_ reply: redisReply) -> [UInt8] {
        guard let text = reply.str, reply.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: text, count: reply.len))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return bytes.isEmpty ? "connection lost" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Foundation.timeval {
        let (seconds, attoseconds) = duration.components
        return Foundation.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }

    /// Hands `arguments` to `body` as the argument vector and lengths hiredis expects (binary-safe).
    private static func withArgv<T>(
        _ arguments: [String], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        let buffers = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let bytes = Array(argument.utf8)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
            bytes.withUnsafeBytes { source in
                if let start = source.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: start, byteCount: bytes.count) }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var argv = buffers.map { UnsafePointer<CChar>?(UnsafePointer($0)) }
        let lengths = arguments.map { $0.utf8.count }
        return argv.withUnsafeMutableBufferPointer { vector in
            lengths.withUnsafeBufferPointer { sizes in body(Int32(arguments.count), vector.baseAddress!, sizes.baseAddress!) }
        }
    }
}
