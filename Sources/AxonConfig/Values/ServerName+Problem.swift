import MatrixTypes

extension ServerName {
    /// Why `text` is not a valid server name, or `nil` when it is; worded for a config error.
    static func problem(with text: String) -> String? {
        do {
            _ = try ServerName(text)
            return nil
        } catch {
            return error.message
        }
    }
}
