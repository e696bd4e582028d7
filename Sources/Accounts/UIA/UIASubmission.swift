public import MatrixTypes

/// A UIA-protected request body, split the way the auth engine needs it.
public struct UIASubmission: Sendable {
    /// The `auth` object, if the client sent one.
    public var auth: JSONObject?
    /// Every other field except the password; kept in the session so later requests may omit them.
    public var params: JSONObject
    /// The password the operation sets, never stored in the session as given (only hashed).
    public var password: String?

    /// - Parameter passwordField: the field holding the password to set (`password`, `new_password`), if any.
    public init(body: JSONObject, passwordField: String? = nil) {
        var params = body
        auth = params.removeValue(forKey: "auth")?.objectValue
        password = passwordField.flatMap { params.removeValue(forKey: $0)?.stringValue }
        self.params = params
    }
}
