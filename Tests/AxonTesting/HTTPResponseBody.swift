import AsyncHTTPClient
import Foundation
import MatrixTypes
import NIOCore
import NIOHTTP1

/// Small conveniences for tests that talk HTTP to a started server.
public enum TestHTTP {
    public struct Reply: Sendable {
        public let status: Int
        public let body: String

        public var json: JSONValue? { try? JSONValue.parse(body) }
    }

    /// An answer with its headers and raw bytes (media).
    public struct BinaryReply: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]

        public var json: JSONValue? { try? JSONValue.parse(String(decoding: body, as: UTF8.self)) }
        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Sends `body` as it is and reads the answer whole (up to `limit` bytes).
    public static func exchange(
        _ method: String, _ url: String, body: [UInt8]? = nil, headers: [(String, String)] = [], limit: Int = 64 * 1024 * 1024
    ) async throws -> BinaryReply {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let buffer = try await response.body.collect(upTo: limit)
        return BinaryReply(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    public static func request(
        _ method: String = "GET", _ url: String, body: String? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(status: Int(response.status.code), body: String(buffer: buffer))
    }
}
