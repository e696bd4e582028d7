public import MatrixTypes

/// The `Authorization: X-Matrix …` header of a server-to-server request (spec "Request Authentication"): who signs,
/// for which server, with which key, and the signature.
///
/// Read as RFC 9110 auth parameters, the way Synapse reads them: names are case-insensitive, values are tokens or
/// quoted strings with backslash escapes, a value may hold colons unquoted, unknown names are ignored and a repeated
/// name keeps its last value. Written the way the spec asks senders to: one space, lower-case names, every value
/// quoted, no spaces around commas.
public struct XMatrixAuthorization: Sendable, Hashable {
    public var origin: ServerName
    /// The server the request is for; old servers leave it out.
    public var destination: String?
    public var keyID: String
    /// Unpadded base64 of the signature.
    public var signature: String

    public init(origin: ServerName, destination: String?, keyID: String, signature: String) {
        self.origin = origin
        self.destination = destination
        self.keyID = keyID
        self.signature = signature
    }

    /// The longest header read: four parameters of a few hundred bytes at most.
    static let lengthLimit = 4_096

    /// Parses a header value; `nil` unless it is an `X-Matrix` header with a valid `origin`, a `key` and a `sig`.
    public init?(header: String) {
        let bytes = Array(header.utf8)
        guard bytes.count <= Self.lengthLimit, let parameters = Self.parameters(bytes) else { return nil }
        guard let originText = parameters["origin"], let origin = try? ServerName(originText), let keyID = parameters["key"],
            let signature = parameters["sig"]
        else { return nil }
        self.init(origin: origin, destination: parameters["destination"], keyID: keyID, signature: signature)
    }

    public var headerValue: String {
        var value = "X-Matrix origin=\(Self.quoted(origin.rawValue))"
        if let destination { value += ",destination=\(Self.quoted(destination))" }
        return value + ",key=\(Self.quoted(keyID)),sig=\(Self.quoted(signature))"
    }

    private static func quoted(_ value: String) -> String {
        var escaped = "\""
        for character in value.unicodeScalars {
            if character == "\"" || character == "\\" { escaped.unicodeScalars.append("\\") }
            escaped.unicodeScalars.append(character)
        }
        return escaped + "\""
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let comma = UInt8(ascii: ",")
    private static let equals = UInt8(ascii: "=")
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// The parameters after the scheme, by lower-cased name; `nil` when the header does not parse.
    private static func parameters(_ bytes: [UInt8]) -> [String: String]? {
        let scheme = Array("x-matrix".utf8)
        guard bytes.count > scheme.count, zip(bytes, scheme).allSatisfy({ lowercased($0) == $1 }), bytes[scheme.count] == space else {
            return nil
        }
        var index = scheme.count
        while index < bytes.count, bytes[index] == space { index += 1 }
        var parameters: [String: String] = [:]
        while true {
            let nameStart = index
            while index < bytes.count, bytes[index] != equals, bytes[index] != comma { index += 1 }
            guard index < bytes.count, bytes[index] == equals, index > nameStart else { return nil }
            let name = String(decoding: bytes[nameStart..<index].map(lowercased), as: UTF8.self)
            index += 1
            var value: [UInt8] = []
            if index < bytes.count, bytes[index] == quote {
                index += 1
                while index < bytes.count, bytes[index] != quote {
                    if bytes[index] == backslash { index += 1 }
                    guard index < bytes.count else { return nil }
                    value.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else { return nil }
                index += 1
            } else {
                while index < bytes.count, ![comma, space, tab].contains(bytes[index]) {
                    value.append(bytes[index])
                    index += 1
                }
            }
            guard let text = String(validating: value, as: UTF8.self) else { return nil }
            parameters[name] = text
            while index < bytes.count, bytes[index] == space || bytes[index] == tab { index += 1 }
            if index == bytes.count { return parameters }
            guard bytes[index] == comma else { return nil }
            index += 1
            while index < bytes.count, bytes[index] == space || bytes[index] == tab { index += 1 }
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
