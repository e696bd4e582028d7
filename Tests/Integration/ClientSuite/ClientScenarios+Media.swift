import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The content repository: uploads come back byte for byte on the authenticated endpoints, active content is never
/// shown inline, created IDs are filled once by their creator, and the limits answer with the spec's errors.
extension ClientScenarios {
    static let media: [ClientScenario] = [
        ClientScenario(name: "media: an upload downloads byte for byte with its type and name", usesMediaRole: true) { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255) }
            let (server, id) = try await alice.upload(bytes, contentType: "application/octet-stream", fileName: "data.bin")
            #expect(server == context.serverName)
            let download = try await bob.media("GET", "/_matrix/client/v1/media/download/\(server)/\(id)")
            #expect(download.status == 200 && download.body == bytes, "\(download.status), \(download.body.count) bytes")
            #expect(download.header("Content-Type") == "application/octet-stream")
            #expect(download.header("Content-Disposition") == "attachment; filename=data.bin", "\(download.headers)")
            let renamed = try await bob.media("GET", "/_matrix/client/v1/media/download/\(server)/\(id)/other%20name.bin")
            #expect(renamed.body == bytes)
            #expect(renamed.header("Content-Disposition") == "attachment; filename*=utf-8''other%20name.bin", "\(renamed.headers)")
            let config = try await alice.media("GET", "/_matrix/client/v1/media/config")
            #expect(config.json?["m.upload.size"] == .integer(10 * 1024 * 1024), "\(config.json ?? .null)")
        },
        ClientScenario(name: "media: active content is an attachment in a sandbox, pictures are inline", usesMediaRole: true) { context in
            let alice = try await context.user()
            for (type, disposition) in [("text/html", "attachment"), ("image/svg+xml", "attachment"), ("image/png", "inline"), ("text/plain", "inline")] {
                let (server, id) = try await alice.upload(Array("<html><script>alert(1)</script></html>".utf8), contentType: type, fileName: "page")
                let download = try await alice.media("GET", "/_matrix/client/v1/media/download/\(server)/\(id)")
                #expect(download.status == 200, "\(type): \(download.status)")
                #expect(download.header("Content-Disposition")?.hasPrefix(disposition) == true, "\(type): \(download.headers)")
                #expect(download.header("Content-Security-Policy")?.hasPrefix("sandbox;") == true, "\(type): \(download.headers)")
                #expect(download.header("Content-Type")?.hasPrefix(type) == true, "\(type): \(download.headers)")
            }
        },
        ClientScenario(name: "media: unknown media is M_NOT_FOUND and downloads need a token", usesMediaRole: true) { context in
            let alice = try await context.user()
            let (server, id) = try await alice.upload(Array("hello".utf8), contentType: "text/plain")
            for path in [
                "/_matrix/client/v1/media/download/\(server)/nosuchmediaanywhere", "/_matrix/client/v1/media/download/\(server)/bad%2E%2E",
            ] {
                let missing = try await alice.media("GET", path)
                #expect(missing.status == 404 && missing.json?["errcode"] == "M_NOT_FOUND", "\(path): \(missing.status)")
            }
            let anonymous = try await alice.media("GET", "/_matrix/client/v1/media/download/\(server)/\(id)", authenticated: false)
            #expect(anonymous.status == 401 && anonymous.json?["errcode"] == "M_MISSING_TOKEN", "\(anonymous.status)")
            // Uploaded while authenticated media is on: the legacy unauthenticated endpoint does not serve it.
            let legacy = try await alice.media("GET", "/_matrix/media/v3/download/\(server)/\(id)", authenticated: false)
            #expect(legacy.status == 404 && legacy.json?["errcode"] == "M_NOT_FOUND", "\(legacy.status)")
        },
        ClientScenario(name: "media: an upload over max_upload_size is M_TOO_LARGE and stores nothing", usesMediaRole: true) { context in
            let alice = try await context.user()
            let tooLarge = try await alice.media(
                "POST", "/_matrix/media/v3/upload", body: [UInt8](repeating: 7, count: 10 * 1024 * 1024 + 1), contentType: "application/octet-stream"
            )
            #expect(tooLarge.status == 413 && tooLarge.json?["errcode"] == "M_TOO_LARGE", "\(tooLarge.status) \(tooLarge.json ?? .null)")
        },
        ClientScenario(name: "media: a created ID is filled once, by its creator", usesMediaRole: true) { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let created = try await alice.media("POST", "/_matrix/media/v1/create")
            guard let uri = created.json?["content_uri"]?.stringValue, created.json?["unused_expires_at"]?.integerValue != nil else {
                throw SuiteFailure("create answered \(created.status) \(created.json ?? .null)")
            }
            let path = String(uri.dropFirst("mxc://".count))
            let early = try await bob.media("GET", "/_matrix/client/v1/media/download/\(path)?timeout_ms=0")
            #expect(early.status == 504 && early.json?["errcode"] == "M_NOT_YET_UPLOADED", "\(early.status) \(early.json ?? .null)")
            let intruder = try await bob.media("PUT", "/_matrix/media/v3/upload/\(path)", body: Array("bob".utf8), contentType: "text/plain")
            #expect(intruder.status == 403 && intruder.json?["errcode"] == "M_FORBIDDEN", "\(intruder.status)")
            let filled = try await alice.media("PUT", "/_matrix/media/v3/upload/\(path)?filename=note.txt", body: Array("alice".utf8), contentType: "text/plain")
            #expect(filled.status == 200 && filled.json == [:], "\(filled.status) \(filled.json ?? .null)")
            let again = try await alice.media("PUT", "/_matrix/media/v3/upload/\(path)", body: Array("again".utf8), contentType: "text/plain")
            #expect(again.status == 409 && again.json?["errcode"] == "M_CANNOT_OVERWRITE_MEDIA", "\(again.status)")
            let download = try await bob.media("GET", "/_matrix/client/v1/media/download/\(path)")
            #expect(download.status == 200 && download.body == Array("alice".utf8), "\(download.status)")
            #expect(download.header("Content-Disposition") == "inline; filename=note.txt", "\(download.headers)")
        },
    ]
}
