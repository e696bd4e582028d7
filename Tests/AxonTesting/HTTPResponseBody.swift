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
