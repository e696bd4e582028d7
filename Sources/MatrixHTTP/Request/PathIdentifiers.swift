public import MatrixTypes

/// Path parameters parsed into identifiers; a malformed one is the client's error, never a lookup.
extension MatrixRequest {
    public func identifier<ID: MatrixIdentifier>(_ name: String, as _: ID.Type = ID.self) throws(MatrixError) -> ID {
        let text = pathParameter(name)
        do {
            return try ID(text)
        } catch {
            throw .invalidParameter("'\(text)' is not a valid \(name): \(error.message)")
        }
    }
}

extension AuthenticatedRequest {
    public func identifier<ID: MatrixIdentifier>(_ name: String, as type: ID.Type = ID.self) throws(MatrixError) -> ID {
        try request.identifier(name, as: type)
    }
}
