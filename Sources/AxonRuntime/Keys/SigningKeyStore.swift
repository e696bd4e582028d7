import Foundation
import MatrixCrypto

/// Reads and creates the server's signing key file (`signing_key_path`) in Synapse's format.
enum SigningKeyStore {
    /// The first key in the file signs; Synapse files with several keys keep working.
    static func load(path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw StartupError("The signing key file \(path) (signing_key_path) cannot be read; create one with 'axon generate-config'.")
        }
        do {
            return try SigningKey.parseKeyFile(text)[0]
        } catch {
            throw StartupError("The signing key file \(path) (signing_key_path) is invalid: \(error)")
        }
    }

    /// Writes a new key unless the file exists; returns whether it wrote one.
    static func createIfMissing(path: String) throws -> Bool {
        guard !FileManager.default.fileExists(atPath: path) else { return false }
        let key = try SigningKey.generate()
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(
            atPath: path, contents: Data(SigningKey.keyFileContents([key]).utf8), attributes: [.posixPermissions: 0o600]
        ) else {
            throw StartupError("Cannot write the signing key file \(path).")
        }
        return true
    }
}
