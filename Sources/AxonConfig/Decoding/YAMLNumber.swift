/// YAML 1.1 number spellings, which PyYAML (and so Synapse) accepts: `1_000`, `0x1F`, `0o17`, `017`,
/// `0b101`, sexagesimal `1:30`, `.inf`.
enum YAMLNumber {
    static func integer(_ text: String) -> Int? {
        var body = Substring(text.filter { $0 != "_" })
        var sign = 1
        if let first = body.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        let magnitude: Int?
        if body.contains(":") {
            magnitude = body.split(separator: ":").reduce(Optional(0)) { total, part in
                guard let total, let digit = Int(part) else { return nil }
                return total * 60 + digit
            }
        } else if body.hasPrefix("0x") {
            magnitude = Int(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0o") {
            magnitude = Int(body.dropFirst(2), radix: 8)
        } else if body.hasPrefix("0b") {
            magnitude = Int(body.dropFirst(2), radix: 2)
        } else if body.count > 1, body.hasPrefix("0") {
            magnitude = Int(body.dropFirst(), radix: 8)
        } else {
            magnitude = Int(body)
        }
        return magnitude.map { $0 * sign }
    }

    static func double(_ text: String) -> Double? {
        let body = text.filter { $0 != "_" }.lowercased()
        switch body {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: break
        }
        if body.contains(":") {
            let negative = body.hasPrefix("-")
            let parts = body.drop { $0 == "-" || $0 == "+" }.split(separator: ":")
            var total = 0.0
            for part in parts {
                guard let value = Double(part) else { return nil }
                total = total * 60 + value
            }
            return negative ? -total : total
        }
        return Double(body)
    }
}
