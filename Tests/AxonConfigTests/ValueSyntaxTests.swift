import MatrixTypes
import Testing

@testable import AxonConfig

@Suite("Value syntax: numbers, sizes, names, addresses")
struct ValueSyntaxTests {
    @Test("sizes, durations, YAML 1.1 numbers and booleans")
    func scalars() throws {
        let config = try load(
            minimalYAML + """
                max_upload_size: 100K
                max_image_pixels: 2G
                max_spider_size: 1048576
                key_refresh_interval: 2h
                turn_user_lifetime: 86400000
                unused_expiration_time: 30m
                bcrypt_rounds: 0o4
                enable_media_repo: off
                serve_server_wellknown: yes
                allow_guest_access: "true"
                federation_rr_transactions_per_room_per_second: 1_000
                """
        ).config
        #expect(config.media.maxUploadSize == 100 * 1024)
        #expect(config.media.maxImagePixels == 2 * 1024 * 1024 * 1024)
        #expect(config.urlPreview.maxSpiderSize == 1_048_576)
        #expect(config.keys.keyRefreshInterval == 7_200_000)
        #expect(config.voip.turnUserLifetime == 86_400_000)
        #expect(config.media.unusedExpirationTime == 1_800_000)
        #expect(config.registration.bcryptRounds == 4)
        #expect(!config.media.enableMediaRepo)
        #expect(config.server.serveServerWellKnown)
        #expect(config.registration.allowGuestAccess)
        #expect(config.rateLimits.federationReceiptTransactionsPerRoomPerSecond == 1000)
    }

    @Test("server settings: public_baseurl gets its slash, room versions may be numbers")
    func server() throws {
        let config = try load(
            minimalYAML + """
                public_baseurl: https://matrix.example.org
                default_room_version: 10
                allow_public_rooms_over_federation: true
                allow_public_rooms_without_auth: true
                """
        ).config
        #expect(config.server.publicBaseURL == "https://matrix.example.org/")
        #expect(config.server.servesClientWellKnown)
        #expect(config.server.defaultRoomVersion == "10")
        #expect(config.server.allowPublicRoomsOverFederation && config.server.allowPublicRoomsWithoutAuth)
    }

    @Test("server names: DNS names, IPv4, bracketed IPv6, each with an optional port")
    func serverNames() {
        for valid in ["example.org", "localhost:8448", "1.2.3.4", "1.2.3.4:80", "[::1]", "[2001:db8::1]:8448", "a-b.c"] {
            #expect(ServerName.problem(with: valid) == nil, "\(valid)")
        }
        for invalid in ["", "exa_mple.org", "example.org:", "example.org:99999", "[::1", "[zz::1]", "host:port", "ex ample"] {
            #expect(ServerName.problem(with: invalid) != nil, "\(invalid)")
        }
    }

    @Test("IP ranges parse both families and match by prefix")
    func ipRanges() throws {
        let private10 = try #require(IPRange("10.0.0.0/8"))
        #expect(private10.contains([10, 200, 3, 4]) && !private10.contains([11, 0, 0, 1]))
        let local6 = try #require(IPRange("fe80::/10"))
        #expect(local6.contains([0xfe, 0xbf] + [UInt8](repeating: 0, count: 14)))
        #expect(!local6.contains([0xfe, 0xc0] + [UInt8](repeating: 0, count: 14)))
        #expect(IPRange("::ffff:1.2.3.4")?.prefixLength == 128)
        #expect(IPRange("2001:db8::/32")?.description == "2001:db8::/32")
        #expect(IPRange("::1")?.description == "::1/128" && IPRange("::/0")?.description == "::/0")
        #expect(IPRange("1:0:0:2:0:0:0:3")?.description == "1:0:0:2::3/128")
        #expect(IPRange("1:0:2:3:4:5:6:7")?.description == "1:0:2:3:4:5:6:7/128")
        #expect(IPRange("192.168.0.0/16")?.description == "192.168.0.0/16")
        for invalid in ["10.0.0.0/33", "256.0.0.1", "1.2.3", "::1::2", "fe80::/129", "10.0.0.0/", "host"] {
            #expect(IPRange(invalid) == nil, "\(invalid)")
        }
    }
}
