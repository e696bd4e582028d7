/// The parts of the DNS wire format (RFC 1035, EDNS0 from RFC 6891, SRV from RFC 2782) server-name resolution needs:
/// one question written, the answer section read. Pure, so every malformed answer can be tested without a network.
public enum DNSMessage {
    public enum RecordType: UInt16, Sendable {
        case a = 1
        case aaaa = 28
        case srv = 33
    }

    /// An answer record of a type asked for.
    public enum Record: Sendable, Hashable {
        case address([UInt8], ttl: UInt32)
        case service(ServiceRecord)
    }

    /// What a name server said.
    public enum Answer: Sendable, Hashable {
        /// The records of the asked type in the answer section (none: the name has no such records).
        case records([Record])
        /// The name does not exist (NXDOMAIN).
        case noSuchName
    }

    public enum Failure: Error, Sendable, Equatable {
        /// The name cannot be asked for (a label over 63 bytes, the whole over 255).
        case invalidName
        /// The message is not an answer to the question, or cannot be read.
        case malformed
        /// The answer did not fit in a datagram.
        case truncated
        /// The server failed or refused (its response code).
        case serverFailure(UInt16)
    }

    /// UDP payload this client accepts, announced with EDNS0: the size DNS flag day 2020 settled on.
    static let payloadSize: UInt16 = 1232
    static let maximumPointerJumps = 32

    /// A recursive query for `name`'s records of `type`, with an EDNS0 record announcing `payloadSize` unless `edns`
    /// is false (for a server that answered the EDNS query with FORMERR).
    public static func query(id: UInt16, name: String, type: RecordType, edns: Bool = true) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)  // a standard query, recursion desired
        for count: UInt16 in [1, 0, 0, edns ? 1 : 0] { append16(count, to: &bytes) }
        bytes += try encodedName(name)
        append16(type.rawValue, to: &bytes)
        append16(1, to: &bytes)  // class IN
        guard edns else { return bytes }
        bytes.append(0)  // the OPT record: root name,
        append16(41, to: &bytes)  // type OPT,
        append16(payloadSize, to: &bytes)  // the payload size as its class,
        bytes += [0, 0, 0, 0, 0, 0]  // no extended flags, no options.
        return bytes
    }

    /// The records of `type` in `message`, the answer to query `id` for `name`.
    public static func answer(_ message: [UInt8], id: UInt16, name: String, type: RecordType) throws(Failure) -> Answer {
        var reader = Reader(bytes: message)
        guard try reader.read16() == id else { throw .malformed }
        let flags = try reader.read16()
        guard flags & 0x8000 != 0 else { throw .malformed }
        guard flags & 0x0200 == 0 else { throw .truncated }
        let questions = try reader.read16()
        let answers = try reader.read16()
        _ = try reader.read16()
        _ = try reader.read16()
        // Some servers answer an error (FORMERR, REFUSED) without repeating the question.
        if questions == 0, flags & 0x000F != 0, flags & 0x000F != 3 { throw .serverFailure(flags & 0x000F) }
        guard questions == 1 else { throw .malformed }
        let asked = try reader.readName()
        guard asked.lowercased() == normalised(name), try reader.read16() == type.rawValue, try reader.read16() == 1 else { throw .malformed }
        switch flags & 0x000F {
        case 0: break
        case 3: return .noSuchName
        case let code: throw .serverFailure(code)
        }
        var records: [Record] = []
        for _ in 0..<answers {
            _ = try reader.readName()
            let recordType = try reader.read16()
            let recordClass = try reader.read16()
            let ttl = UInt32(try reader.read16()) << 16 | UInt32(try reader.read16())
            let length = Int(try reader.read16())
            let end = reader.offset + length
            guard end <= message.count else { throw .malformed }
            // Other types (the CNAMEs a resolver followed, say) are passed over.
            if recordClass == 1, recordType == type.rawValue {
                switch type {
                case .a, .aaaa:
                    guard length == (type == .a ? 4 : 16) else { throw .malformed }
                    records.append(.address(Array(message[reader.offset..<end]), ttl: ttl))
                case .srv:
                    let priority = try reader.read16()
                    let weight = try reader.read16()
                    let port = try reader.read16()
                    let target = try reader.readName()
                    guard reader.offset == end else { throw .malformed }
                    records.append(.service(ServiceRecord(priority: priority, weight: weight, port: Int(port), target: target, ttl: ttl)))
                }
            }
            reader.offset = end
        }
        return .records(records)
    }

    /// `name` as labels; a trailing dot is allowed.
    static func encodedName(_ name: String) throws(Failure) -> [UInt8] {
        let labels = normalised(name).split(separator: ".", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for label in labels {
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count <= 63 else { throw .invalidName }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        guard bytes.count <= 255 else { throw .invalidName }
        return bytes
    }

    /// Lower case, without a trailing dot: how names compare (DNS names compare ASCII case-insensitively).
    static func normalised(_ name: String) -> String {
        String(name.lowercased().trimmingSuffix("."))
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Reads a message front to back; names may point back into it (compression), a bounded number of times.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func read16() throws(Failure) -> UInt16 {
            guard offset + 2 <= bytes.count else { throw .malformed }
            defer { offset += 2 }
            return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
        }

        /// A name, dotted, without the trailing dot ("" for the root).
        mutating func readName() throws(Failure) -> String {
            var labels: [String] = []
            var position = offset
            var resumeAt: Int?
            var jumps = 0
            var length = 0
            while true {
                guard position < bytes.count else { throw .malformed }
                let byte = bytes[position]
                if byte & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count, jumps < DNSMessage.maximumPointerJumps else { throw .malformed }
                    if resumeAt == nil { resumeAt = position + 2 }
                    position = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                    jumps += 1
                    continue
                }
                guard byte & 0xC0 == 0 else { throw .malformed }
                let count = Int(byte)
                if count == 0 {
                    offset = resumeAt ?? position + 1
                    return labels.joined(separator: ".")
                }
                length += count + 1
                guard position + 1 + count <= bytes.count, length <= 255 else { throw .malformed }
                labels.append(String(decoding: bytes[(position + 1)...(position + count)], as: UTF8.self))
                position += count + 1
            }
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingSuffix(_ suffix: Character) -> SubSequence {
        last == suffix ? dropLast() : self[...]
    }
}
