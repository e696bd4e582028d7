public import NIOCore
import NIOPosix

/// Asks name servers over UDP, each in turn, two rounds at most, a few seconds per try: the servers `federation_dns_servers`
/// names, or those of `/etc/resolv.conf`. Answers are read by `DNSMessage`; one that is not the answer to the question
/// asked (another ID, another name) is ignored while waiting. An answer too large for a datagram (truncated) is asked
/// again of the same server over TCP (RFC 7766); a server that refuses the EDNS query as malformed (FORMERR) is asked
/// again without it (RFC 6891).
public struct DNSClient: Sendable {
    public let servers: [SocketAddress]
    let group: any EventLoopGroup
    let attemptTimeout: Duration

    static let rounds = 2

    public init(servers: [SocketAddress], attemptTimeout: Duration = .seconds(3), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.servers = servers
        self.attemptTimeout = attemptTimeout
        self.group = group
    }

    /// The name servers of a `resolv.conf` text (`nameserver` lines; addresses with a zone are skipped), the local one
    /// when it names none, as the C library does.
    public static func servers(resolvConf text: String) -> [SocketAddress] {
        let named = text.split(whereSeparator: \.isNewline).compactMap { line -> SocketAddress? in
            let words = line.split(whereSeparator: \.isWhitespace)
            guard words.count >= 2, words[0] == "nameserver", !words[1].contains("%") else { return nil }
            return try? SocketAddress(ipAddress: String(words[1]), port: 53)
        }
        guard named.isEmpty, let local = try? SocketAddress(ipAddress: "127.0.0.1", port: 53) else { return named }
        return [local]
    }

    /// `name`'s records of `type`. Throws the last failure when no server gave an answer.
    public func lookUp(_ name: String, type: DNSMessage.RecordType) async throws(DNSMessage.Failure) -> DNSMessage.Answer {
        var lastFailure = DNSMessage.Failure.serverFailure(2)
        for _ in 0..<Self.rounds {
            for server in servers {
                let id = UInt16.random(in: .min ... .max)
                let query = try DNSMessage.query(id: id, name: name, type: type)
                do {
                    do {
                        return try await exchange(query, with: server, id: id, name: name, type: type)
                    } catch DNSMessage.Failure.serverFailure(1) {
                        let plain = try DNSMessage.query(id: id, name: name, type: type, edns: false)
                        return try await exchange(plain, with: server, id: id, name: name, type: type)
                    }
                } catch let failure as DNSMessage.Failure {
                    if failure == .invalidName { throw failure }
                    lastFailure = failure
                } catch {
                    lastFailure = .serverFailure(2)
                }
            }
        }
        throw lastFailure
    }

    /// `query` over UDP, then over TCP when the answer came truncated.
    private func exchange(_ query: [UInt8], with server: SocketAddress, id: UInt16, name: String, type: DNSMessage.RecordType) async throws -> DNSMessage.Answer {
        do {
            return try await ask(server, query: query, id: id, name: name, type: type)
        } catch DNSMessage.Failure.truncated {
            return try await askOverTCP(server, query: query, id: id, name: name, type: type)
        }
    }

    private func ask(_ server: SocketAddress, query: [UInt8], id: UInt16, name: String, type: DNSMessage.RecordType) async throws -> DNSMessage.Answer {
        let local = server.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group).bind(host: local, port: 0) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
            }
        }
        return try await withinAttemptTimeout {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query)))
                for try await envelope in inbound where envelope.remoteAddress == server {
                    let answer: DNSMessage.Answer
                    do throws(DNSMessage.Failure) {
                        answer = try DNSMessage.answer(Array(envelope.data.readableBytesView), id: id, name: name, type: type)
                    } catch {
                        // A stray datagram, not the answer to this question: keep waiting.
                        if error == .malformed { continue }
                        throw error
                    }
                    return answer
                }
                throw DNSMessage.Failure.malformed
            }
        }
    }

    /// The same question over TCP: each message preceded by its length in two bytes, so at most 64 KiB comes back.
    private func askOverTCP(_ server: SocketAddress, query: [UInt8], id: UInt16, name: String, type: DNSMessage.RecordType) async throws -> DNSMessage.Answer {
        let timeout = attemptTimeout
        return try await withinAttemptTimeout {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(TimeAmount(timeout))
                .connect(to: server) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            return try await channel.executeThenClose { inbound, outbound in
                var framed = ByteBuffer()
                framed.writeInteger(UInt16(query.count))
                framed.writeBytes(query)
                try await outbound.write(framed)
                var received = ByteBuffer()
                for try await var chunk in inbound {
                    received.writeBuffer(&chunk)
                    guard let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                        let message = received.getBytes(at: received.readerIndex + 2, length: Int(length))
                    else { continue }
                    return try DNSMessage.answer(message, id: id, name: name, type: type)
                }
                throw DNSMessage.Failure.malformed
            }
        }
    }

    /// `body`'s result, or a server failure once the attempt's time is up.
    private func withinAttemptTimeout(_ body: @escaping @Sendable () async throws -> DNSMessage.Answer) async throws -> DNSMessage.Answer {
        let timeout = attemptTimeout
        return try await withThrowingTaskGroup(of: DNSMessage.Answer.self) { group in
            group.addTask(operation: body)
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DNSMessage.Failure.serverFailure(2)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw DNSMessage.Failure.serverFailure(2) }
            return first
        }
    }
}
