import MatrixTypes
import NIOCore

/// Checks a JSON request body against the route's declared fields before any handler sees it.
enum BodyValidation {
    static func validate(_ buffer: ByteBuffer, fields: [BodyField]) throws -> JSONValue {
        let value = try JSONValue.parse(buffer.readableBytesView)
        guard case .object(let object) = value else {
            throw MatrixError.badJSON("Content must be a JSON object.")
        }
        for field in fields {
            guard let fieldValue = object[field.name], !(fieldValue.isNull && !field.isRequired) else {
                if field.isRequired { throw MatrixError.missingParameter(field.name) }
                continue
            }
            guard field.kind.matches(fieldValue) else {
                throw MatrixError.badJSON("'\(field.name)' must be \(field.kind.name).")
            }
        }
        return value
    }

    /// A route that takes no body accepts none, or the `{}` many clients send with every POST; anything else is
    /// refused, so a body is never silently dropped.
    static func requireNothingOrEmptyObject(_ buffer: ByteBuffer) throws {
        let bytes = buffer.readableBytesView
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return }
        guard case .object(let object)? = try? JSONValue.parse(bytes), object.isEmpty else {
            throw MatrixError.badJSON("This endpoint takes no request body.")
        }
    }
}
