import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Media across servers with a real Synapse: each side's users download the other side's uploads through their own
/// server, which fetches them over federation (`/_matrix/federation/v1/media/download`, `multipart/mixed`), caches
/// them and serves them byte for byte.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationMediaTests {
    @Test func usersOnAxonAndSynapseDownloadEachOthersMedia() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let fromAxon = (0..<2_000_000).map { _ in UInt8.random(in: 0...255) }
            let (axonServer, axonMedia) = try await alice.upload(fromAxon, contentType: "application/x-axon", fileName: "axon file.bin")
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let fetched = try await bob.media("GET", "/_matrix/client/v1/media/download/\(axonServer)/\(axonMedia)")
                #expect(fetched.status == 200 && fetched.body == fromAxon, "Synapse served \(fetched.status), \(fetched.body.count) bytes")
                #expect(fetched.header("Content-Type") == "application/x-axon", "\(fetched.headers)")
                #expect(fetched.header("Content-Disposition")?.contains("axon%20file.bin") == true, "\(fetched.headers)")

                let fromSynapse = (0..<1_500_000).map { _ in UInt8.random(in: 0...255) }
                let (synapseServer, synapseMedia) = try await bob.upload(fromSynapse, contentType: "application/x-synapse", fileName: "synapse.bin")
                let path = "/_matrix/client/v1/media/download/\(synapseServer)/\(synapseMedia)"
                let first = try await alice.media("GET", path)
                #expect(first.status == 200 && first.body == fromSynapse, "Axon served \(first.status), \(first.body.count) bytes")
                #expect(first.header("Content-Type") == "application/x-synapse", "\(first.headers)")
                #expect(first.header("Content-Disposition") == "attachment; filename=synapse.bin", "\(first.headers)")
                let unknown = try await alice.media("GET", "/_matrix/client/v1/media/download/\(synapseServer)/nosuchmediaonsynapse")
                #expect(unknown.status == 404 && unknown.json?["errcode"] == "M_NOT_FOUND", "\(unknown.status) \(unknown.json ?? .null)")

                // Images thumbnailed across servers, each way: the fetching server makes the thumbnails of what it cached.
                let jpeg = try [UInt8](Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Tests/ThumbnailsTests/Fixtures/wide-1000x500.jpg")))
                let axonImage = try await alice.upload(jpeg, contentType: "image/jpeg", fileName: "wide.jpg")
                let synapseImage = try await bob.upload(jpeg, contentType: "image/jpeg", fileName: "wide.jpg")
                for (client, image) in [(bob, axonImage), (alice, synapseImage)] {
                    let thumbnail = try await client.media(
                        "GET", "/_matrix/client/v1/media/thumbnail/\(image.server)/\(image.mediaID)?width=320&height=240&method=scale"
                    )
                    #expect(thumbnail.status == 200 && thumbnail.header("Content-Type") == "image/jpeg", "\(image.server): \(thumbnail.status)")
                    #expect(Self.jpegSize(thumbnail.body) == [320, 160], "\(image.server)")
                }

                // Cached: served again with Synapse gone.
                await synapse.process.stop()
                let cached = try await alice.media("GET", path)
                #expect(cached.status == 200 && cached.body == fromSynapse, "from the cache: \(cached.status)")
            }
        }
    }

    /// A JPEG's width and height, from its first start-of-frame marker.
    static func jpegSize(_ bytes: [UInt8]) -> [Int]? {
        var index = 2
        while index + 9 < bytes.count, bytes[index] == 0xFF {
            let marker = bytes[index + 1]
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            if (0xC0...0xC3).contains(marker) {
                return [Int(bytes[index + 7]) << 8 | Int(bytes[index + 8]), Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])]
            }
            index += 2 + length
        }
        return nil
    }
}
