public import Federation
import HTTPTypes
public import MatrixCrypto
public import MatrixHTTP
public import MatrixTypes

/// The notary key API (spec "Querying Keys Through Another Server"): `POST /_matrix/key/v2/query` and
/// `GET /_matrix/key/v2/query/{serverName}` answer servers' key documents as this server fetched them (its own as it
/// publishes it), each countersigned by this server. A server whose keys cannot be had is left out, as in Synapse.
public enum KeyQueryRoutes {
    /// Servers asked for in one request at most.
    static let serverLimit = 100

    public static func routes(publication: ServerKeyPublication, remote: RemoteServerKeys, serverName: ServerName, signingKey: SigningKey) -> [Route] {
        @Sendable func documents(_ asked: [(ServerName, Int64)]) async throws -> JSONValue {
            var answers: [JSONValue] = []
            for (server, minimum) in asked {
                let document: JSONValue? =
                    server.rawValue.hasSameBytes(as: serverName.rawValue)
                    ? try publication.document() : await remote.document(of: server, validUntil: minimum)
                if let document { answers.append(try signingKey.sign(json: document, as: serverName.rawValue)) }
            }
            return ["server_keys": .array(answers)]
        }
        return [
            Route(
                .post, "/_matrix/key/v2/query", resource: .keys, role: .federationReceiver,
                shape: RequestShape(body: .jsonObject([BodyField("server_keys", .object, required: true, example: ["axon.test": [:]])]))
            ) { request in
                guard case .object(let servers)? = request.body["server_keys"], servers.count <= serverLimit else {
                    throw MatrixError.invalidParameter("server_keys must name at most \(serverLimit) servers")
                }
                var asked: [(ServerName, Int64)] = []
                for (name, keys) in servers {
                    guard let server = try? ServerName(name) else { throw MatrixError.invalidParameter("Invalid server name '\(name)'") }
                    let minimum = keys.objectValue?.values.compactMap { $0["minimum_valid_until_ts"]?.integerValue }.max() ?? 0
                    asked.append((server, minimum))
                }
                return .json(try await documents(asked))
            },
            Route(
                .get, "/_matrix/key/v2/query/{serverName}", resource: .keys, role: .federationReceiver,
                shape: RequestShape(query: [QueryField("minimum_valid_until_ts", .integer(0...Int64.max), example: "0")])
            ) { request in
                let server: ServerName = try request.identifier("serverName")
                let minimum = request.query["minimum_valid_until_ts"].flatMap { Int64($0) } ?? 0
                return .json(try await documents([(server, minimum)]))
            },
        ]
    }
}
