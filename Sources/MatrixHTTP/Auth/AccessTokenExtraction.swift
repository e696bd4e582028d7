import HTTPTypes

/// Finds the access token in `Authorization: Bearer …` or `?access_token=…`, refusing the ambiguous cases
/// Synapse refuses.
enum AccessTokenExtraction {
    /// Whether the request tries to send a token at all, as Synapse's `has_access_token`: a route whose token is
    /// optional treats a request with one, even a malformed one, as authenticated.
    static func isPresent(headers: HTTPFields, query: QueryParameters) -> Bool {
        !headers[values: .authorization].isEmpty || !(query["access_token"] ?? "").isEmpty
    }

    static func token(headers: HTTPFields, query: QueryParameters) throws(AuthenticationError) -> String {
        let authorization = headers[values: .authorization]
        let fromQuery = query["access_token"]
        guard let header = authorization.first else {
            guard let fromQuery, !fromQuery.isEmpty else { throw .missingToken("Missing access token") }
            return fromQuery
        }
        guard fromQuery == nil else { throw .missingToken("Mixing Authorization headers and access_token query parameters.") }
        guard authorization.count == 1 else { throw .missingToken("Too many Authorization headers.") }
        let parts = header.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == "Bearer", !parts[1].isEmpty else { throw .missingToken("Invalid Authorization header.") }
        return String(parts[1])
    }
}

extension MatrixRequest {
    /// Whether the request carries an access token, for open routes that refuse one (Synapse's `/register`).
    public var carriesAccessToken: Bool { AccessTokenExtraction.isPresent(headers: headers, query: query) }
}
