import Foundation
import HTTPTypes
import MatrixHTTP
import MatrixTypes

/// Malformed requests derived from a route's declared shape: the same description the responder validates
/// against, so every new route is covered without writing its bad cases by hand.
struct BadInputCase: CustomStringConvertible {
    enum Expectation: Equatable {
        case error(status: Int, errcode: String)
        /// The route ignores this input, so it must answer as the valid request did.
        case sameAsValidRequest
    }

    /// Which access token the request carries; authenticated routes get the valid one unless a case is about auth.
    enum Credential {
        case valid
        case missing
        case unknown
        case guest
    }

    var name: String
    var method: HTTPRequest.Method
    var path: String
    var body: String?
    var expectation: Expectation
    var credential: Credential = .valid

    var description: String { "\(method) \(path): \(name)" }
}

enum BadInputCases {
    /// Example values for path parameters, by name; a route using an unlisted name fails the suite until
    /// an example is added here.
    static let pathExamples: [String: String] = [
        "roomId": "!nowhere:axon.test",
        "roomIdOrAlias": "#nowhere:axon.test",
        "eventId": "$abc/def+ghi",
        "userId": "@nobody:axon.test",
        "txnId": "txn1",
        "eventType": "m.room.message",
        "stateKey": "",
        "deviceId": "NODEVICE",
        "roomAlias": "#nowhere:axon.test",
        "serverName": "axon.test",
        "mediaId": "nomedia",
        "fileName": "file.txt",
        "type": "m.test",
        "tag": "u.test",
        "filterId": "1",
        "keyId": "ed25519:nokey",
        "receiptType": "m.read",
        "version": "1",
        "sessionId": "nosession",
    ]

    struct MissingExample: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter nulIn: a path parameter to end with an encoded NUL, which no identifier may hold.
    static func validPath(for route: Route, nulIn: String? = nil) throws -> String {
        try route.path.segments.map { segment -> String in
            switch segment {
            case .literal(let text):
                return text
            case .parameter(let name):
                guard let example = pathExamples[name] else {
                    throw MissingExample(description: "no example for path parameter {\(name)} of \(route.path)")
                }
                return example.addingPercentEncodingForPathSegment() + (name == nulIn ? "%00" : "")
            }
        }.reduce("") { $0 + "/" + $1 }
    }

    /// The required parameters, and `timeout` where a route long-polls (`GET /events` waits 30 s without one).
    static func validQuery(for route: Route, except excluded: String? = nil) -> String {
        let sent = route.shape.query.filter { ($0.isRequired || $0.name == "timeout") && $0.name != excluded }
        return sent.isEmpty ? "" : "?" + sent.map { "\($0.name)=\($0.example)" }.joined(separator: "&")
    }

    /// Every case for one route, given the body ceilings and the methods its path is registered with.
    static func cases(for route: Route, registeredMethods: Set<HTTPRequest.Method>, limits: BodyLimits) throws -> [BadInputCase] {
        let path = try validPath(for: route)
        let query = validQuery(for: route)
        var cases: [BadInputCase] = []
        let unused: [HTTPRequest.Method] = [.put, .delete, .post, .get].filter { !registeredMethods.contains($0) }
        if let other = unused.first {
            cases.append(.init(name: "wrong method \(other)", method: other, path: path + query, body: nil, expectation: .error(status: 405, errcode: "M_UNRECOGNIZED")))
        }
        var ceiling = limits.json
        if case .binary = route.shape.body { ceiling = limits.upload }
        cases.append(.init(
            name: "oversized body", method: route.method, path: path + query,
            body: String(repeating: " ", count: ceiling + 1),
            expectation: .error(status: 413, errcode: "M_TOO_LARGE")
        ))
        for field in route.shape.query {
            if field.isRequired {
                let without = route.shape.query.filter { $0.isRequired && $0.name != field.name }.map { "\($0.name)=\($0.example)" }
                cases.append(.init(
                    name: "missing query \(field.name)", method: route.method, path: path + (without.isEmpty ? "" : "?" + without.joined(separator: "&")),
                    body: validBody(route), expectation: .error(status: 400, errcode: "M_MISSING_PARAM")
                ))
            }
            if let bad = invalidQueryValue(field.kind) {
                let others = validQuery(for: route, except: field.name)
                let separator = others.isEmpty ? "?" : "&"
                cases.append(.init(
                    name: "bad query \(field.name)", method: route.method, path: path + others + separator + "\(field.name)=\(bad)",
                    body: validBody(route), expectation: .error(status: 400, errcode: "M_INVALID_PARAM")
                ))
            }
        }
        cases.append(.init(
            name: "NUL in a query parameter", method: route.method, path: path + (query.isEmpty ? "?" : query + "&") + "nul=a%00b",
            body: validBody(route), expectation: .error(status: 400, errcode: "M_INVALID_PARAM")
        ))
        for name in route.path.parameterNames {
            cases.append(.init(
                name: "NUL in path parameter \(name)", method: route.method, path: try validPath(for: route, nulIn: name) + query,
                body: validBody(route), expectation: .error(status: 400, errcode: "M_INVALID_PARAM")
            ))
        }
        cases += authenticationCases(for: route, path: path + query)
        switch route.shape.body {
        case .none:
            cases.append(.init(name: "body refused", method: route.method, path: path + query, body: #"{"unexpected":1}"#, expectation: .error(status: 400, errcode: "M_BAD_JSON")))
            cases.append(.init(
                name: "body over the bodiless ceiling", method: route.method, path: path + query,
                body: "{" + String(repeating: " ", count: 100) + "}", expectation: .error(status: 413, errcode: "M_TOO_LARGE")
            ))
        case .binary:
            cases.append(.init(name: "malformed body ignored", method: route.method, path: path + query, body: "{not json", expectation: .sameAsValidRequest))
        case .jsonObjectOrEmpty(let fields):
            cases.append(.init(name: "empty body reads as {}", method: route.method, path: path + query, body: nil, expectation: .sameAsValidRequest))
            cases += jsonCases(fields, method: route.method, path: path + query)
        case .jsonObject(let fields):
            cases += jsonCases(fields, method: route.method, path: path + query)
        }
        return cases
    }

    /// A missing or unknown token is refused before anything else is looked at; guests are refused on
    /// routes for registered users only.
    private static func authenticationCases(for route: Route, path: String) -> [BadInputCase] {
        guard let requirement = route.tokenRequirement else { return [] }
        let body = validBody(route)
        var cases: [BadInputCase] = [
            .init(name: "missing token", method: route.method, path: path, body: body, expectation: .error(status: 401, errcode: "M_MISSING_TOKEN"), credential: .missing),
            .init(name: "unknown token", method: route.method, path: path, body: body, expectation: .error(status: 401, errcode: "M_UNKNOWN_TOKEN"), credential: .unknown),
        ]
        if requirement == .user {
            cases.append(.init(
                name: "guest token", method: route.method, path: path, body: body,
                expectation: .error(status: 403, errcode: "M_GUEST_ACCESS_FORBIDDEN"), credential: .guest
            ))
        }
        return cases
    }

    private static func jsonCases(_ fields: [BodyField], method: HTTPRequest.Method, path: String) -> [BadInputCase] {
        var cases: [BadInputCase] = [
            .init(name: "malformed JSON", method: method, path: path, body: "{not json", expectation: .error(status: 400, errcode: "M_NOT_JSON")),
            .init(name: "JSON array", method: method, path: path, body: "[]", expectation: .error(status: 400, errcode: "M_BAD_JSON")),
        ]
        let valid = validObject(fields)
        for field in fields {
            if field.isRequired {
                var without = valid
                without[field.name] = nil
                cases.append(.init(name: "missing \(field.name)", method: method, path: path, body: encode(without), expectation: .error(status: 400, errcode: "M_MISSING_PARAM")))
            }
            var wrong = valid
            wrong[field.name] = wrongValue(for: field.kind)
            cases.append(.init(name: "wrong type for \(field.name)", method: method, path: path, body: encode(wrong), expectation: .error(status: 400, errcode: "M_BAD_JSON")))
        }
        return cases
    }

    static func validBody(_ route: Route) -> String? {
        switch route.shape.body {
        case .jsonObject(let fields), .jsonObjectOrEmpty(let fields): encode(validObject(fields))
        case .none, .binary: nil
        }
    }

    private static func validObject(_ fields: [BodyField]) -> JSONObject {
        JSONObject(uniqueKeysWithValues: fields.map { ($0.name, $0.example) })
    }

    private static func encode(_ object: JSONObject) -> String {
        String(decoding: JSONValue.object(object).encoded(), as: UTF8.self)
    }

    private static func wrongValue(for kind: JSONKind) -> JSONValue {
        switch kind {
        case .string: 12
        case .integer, .number: "twelve"
        case .boolean: "true"
        case .object: [1]
        case .array: ["not": "an array"]
        }
    }

    private static func invalidQueryValue(_ kind: QueryField.Kind) -> String? {
        switch kind {
        case .string: nil
        case .integer: "notanumber"
        case .boolean: "maybe"
        case .oneOf: "notoneofthem"
        }
    }
}

extension String {
    func addingPercentEncodingForPathSegment() -> String {
        var result = ""
        for byte in utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte < 0x80) && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-._~!$&'()*+,;=:@".unicodeScalars.contains(scalar)) && byte != UInt8(ascii: "/") {
                result.unicodeScalars.append(scalar)
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}

