extension ListenerConfig {
    /// The message Synapse gives for the removed direct-TCP replication listener.
    static let directTCPReplicationError =
        "direct TCP replication is no longer supported; use Redis and an http listener with the `replication` resource"

    /// Decodes `key` (`listeners` or `worker_listeners`), reporting each bad entry and keeping the good ones.
    static func list(from root: MappingReader, key: String) -> [ListenerConfig] {
        guard let entries = root.value(key)?.list() else { return [] }
        let listeners = entries.map { entry in entry.mapping().flatMap { ListenerConfig(from: $0) } }
        checkDuplicates(entries: entries, listeners: listeners)
        return listeners.compactMap { $0 }
    }

    init?(from reader: MappingReader) {
        let typeValue = reader.required("type")
        var kind: Kind?
        if let typeValue, let name = typeValue.string() {
            kind = Kind(rawValue: name)
            if name == "replication" {
                typeValue.error(Self.directTCPReplicationError)
            } else if kind == nil {
                typeValue.error("unknown listener type \"\(name)\"; expected one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let address = Self.address(from: reader, type: kind)
        let isHTTP = kind == .http
        let xForwarded = reader.bool("x_forwarded", default: { if case .unix = address { true } else { false } }())
        let resources = isHTTP ? Self.resources(from: reader) : []
        if !isHTTP { reader.accept(["resources"]) }
        let tls = reader.bool("tls", default: false)
        let tag = reader.string("tag")
        let requestIDHeader = reader.string("request_id_header")
        if let extra = reader.value("additional_resources") {
            extra.warning("additional_resources load Synapse Python modules; Axon ignores them")
        }
        reader.warnAboutUnknownKeys()
        guard let kind, let address else { return nil }
        self.init(
            type: kind, address: address, tls: tls, xForwarded: xForwarded, resources: resources, tag: tag,
            requestIDHeader: requestIDHeader
        )
    }

    private static func address(from reader: MappingReader, type: Kind?) -> Address? {
        let portValue = reader.value("port")
        let pathValue = reader.value("path")
        let port = portValue?.int(in: 0...65535)
        let path = pathValue?.string()
        var addresses = reader.stringList("bind_addresses") ?? []
        if let single = reader.string("bind_address") { addresses.append(single) }
        let mode = reader.int("mode")
        switch (portValue, pathValue) {
        case (_?, _?):
            reader.error("path", "a listener has either a port or a UNIX socket path, not both")
            return nil
        case (nil, nil):
            reader.error("port", "missing required key (or `path` for a UNIX socket)")
            return nil
        case (_?, nil):
            guard let port else { return nil }
            if addresses.isEmpty { addresses = type == .metrics ? ["0.0.0.0"] : defaultBindAddresses }
            return .tcp(port: port, bindAddresses: addresses)
        case (nil, _?):
            guard let path else { return nil }
            return .unix(path: path, mode: mode ?? 0o666)
        }
    }

    private static func resources(from reader: MappingReader) -> [Resource] {
        guard let entries = reader.value("resources")?.list() else { return [] }
        return entries.compactMap { entry -> Resource? in
            guard let resource = entry.mapping() else { return nil }
            var names: [ListenerResource] = []
            for name in resource.value("names")?.list() ?? [] {
                guard let text = name.string() else { continue }
                if let known = ListenerResource(rawValue: text) {
                    names.append(known)
                } else {
                    let all = ListenerResource.allCases.map(\.rawValue).joined(separator: ", ")
                    name.error("unknown listener resource \"\(text)\"; expected one of \(all)")
                }
            }
            let compress = resource.bool("compress", default: false)
            resource.warnAboutUnknownKeys()
            return Resource(names: names, compress: compress)
        }
    }

    /// Two listeners on the same address and port (or the same socket path) cannot both bind.
    private static func checkDuplicates(entries: [ValueReader], listeners: [ListenerConfig?]) {
        var owners: [String: Int] = [:]
        for (index, listener) in listeners.enumerated() {
            guard let listener else { continue }
            let endpoints: [String]
            switch listener.address {
            case .tcp(0, _): endpoints = []
            case .tcp(let port, let addresses): endpoints = addresses.map { "port \(port) on \($0)" }
            case .unix(let path, _): endpoints = ["socket \(path)"]
            }
            for endpoint in endpoints {
                if let first = owners[endpoint] {
                    let entry = entries[index]
                    let key = listener.port == nil ? "path" : "port"
                    entry.log.error("\(endpoint) is already used by \(entries[first].path)", at: entry.path.appending(key), node: entry.node)
                } else {
                    owners[endpoint] = index
                }
            }
        }
    }
}
