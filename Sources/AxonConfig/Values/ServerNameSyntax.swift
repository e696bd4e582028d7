/// The server-name grammar of the Matrix spec (and Synapse's `parse_and_validate_server_name`): a DNS name,
/// an IPv4 address or a bracketed IPv6 literal, then an optional `:port`.
enum ServerNameSyntax {
    /// Why `name` is not a valid server name, or `nil` when it is.
    static func problem(with name: String) -> String? {
        guard !name.isEmpty else { return "server name is empty" }
        var host = Substring(name)
        if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]") {
            let port = name[name.index(after: colon)...]
            host = name[..<colon]
            guard !port.isEmpty, port.allSatisfy(\.isASCIIDigit), let number = Int(port), (1...65535).contains(number) else {
                return "'\(name)' has an invalid port"
            }
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return "mismatched [...] in server name '\(name)'" }
            guard IPAddress.parseIPv6(host.dropFirst().dropLast()) != nil else {
                return "'\(name)' is not a valid IPv6 address"
            }
            return nil
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid = !host.isEmpty && host.count <= 255
            && labels.allSatisfy { !$0.isEmpty && $0.count <= 63 && $0.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" } }
        return valid ? nil : "server name '\(name)' has an invalid format"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIIAlphanumeric: Bool { isASCII && (isLetter || isNumber) }
}
