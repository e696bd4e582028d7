// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let nio: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let fileSystem: Target.Dependency = .product(name: "_NIOFileSystem", package: "swift-nio")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let httpClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let metrics: Target.Dependency = .product(name: "CoreMetrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")

/// Every worker executable is a few lines that hand a role to the runtime.
let workerExecutables = [
    "axon-client-reader", "axon-federation-receiver", "axon-federation-sender",
    "axon-media", "axon-event-persister",
]

let package = Package(
    name: "Axon",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "axon", targets: ["axon"]),
        // For the benchmark package (`Benchmarks/`), which reads and writes JSON with it.
        .library(name: "MatrixTypes", targets: ["MatrixTypes"]),
    ] + workerExecutables.map { .executable(name: $0, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Layer 0: C libraries through pkg-config.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),

        // Layers 1-3: protocol types, crypto, config, storage abstractions.
        .target(name: "MatrixTypes", swiftSettings: strict),
        .target(name: "MatrixCrypto", dependencies: ["MatrixTypes", "CSodium", crypto], swiftSettings: strict),
        .target(name: "EventAuth", dependencies: ["MatrixTypes", "MatrixCrypto"], swiftSettings: strict),
        .target(name: "AxonConfig", dependencies: ["MatrixTypes", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "Storage", dependencies: ["MatrixTypes", logging, metrics], swiftSettings: strict),
        .target(name: "Replication", dependencies: ["MatrixTypes", logging, metrics], swiftSettings: strict),

        // Layer 4: database engines.
        .target(name: "StorageSQLite", dependencies: ["Storage", "CSQLite", nio, nioPosix, logging], swiftSettings: strict),
        .target(name: "StoragePostgres", dependencies: ["Storage", "CLibPQ", nio, nioPosix, logging], swiftSettings: strict),
        .target(name: "ReplicationRedis", dependencies: ["Replication", "CHiredis", logging, metrics], swiftSettings: strict),
        .target(name: "Thumbnails", dependencies: ["CVips", nioPosix], swiftSettings: strict),

        // Layers 5-8: services; features beside or above the rooms they concern, sync above all it reads.
        .target(
            name: "Accounts",
            dependencies: ["MatrixTypes", "MatrixCrypto", "Storage", "CSodium", crypto, logging, nio, nioPosix],
            swiftSettings: strict
        ),
        .target(name: "RoomStore", dependencies: ["MatrixTypes", "Storage", logging, metrics], swiftSettings: strict),
        .target(name: "AccountData", dependencies: ["MatrixTypes", "Storage", "Replication"], swiftSettings: strict),
        .target(name: "Filters", dependencies: ["MatrixTypes", "Storage"], swiftSettings: strict),
        .target(name: "KeyBackup", dependencies: ["MatrixTypes", "Storage"], swiftSettings: strict),
        .target(name: "VoIP", dependencies: ["MatrixTypes", crypto], swiftSettings: strict),
        .target(name: "Media", dependencies: ["MatrixTypes", "Storage", "Thumbnails", nio, fileSystem, logging], swiftSettings: strict),
        .target(name: "Presence", dependencies: ["MatrixTypes", "Storage", "RoomStore", "Replication"], swiftSettings: strict),
        .target(
            name: "Rooms",
            dependencies: ["MatrixTypes", "MatrixCrypto", "EventAuth", "Storage", "RoomStore", "Replication", "Accounts", "AccountData", logging],
            swiftSettings: strict
        ),
        .target(name: "Profiles", dependencies: ["MatrixTypes", "Storage", "RoomStore", "Rooms", "Accounts", logging], swiftSettings: strict),
        .target(name: "Directory", dependencies: ["MatrixTypes", "Storage", "RoomStore", "Rooms", "Accounts"], swiftSettings: strict),
        .target(name: "Receipts", dependencies: ["MatrixTypes", "Storage", "Replication", "Rooms", "AccountData"], swiftSettings: strict),
        .target(name: "Typing", dependencies: ["MatrixTypes", "Storage", "Replication", "Rooms"], swiftSettings: strict),
        .target(name: "Spaces", dependencies: ["MatrixTypes", "Storage", "RoomStore", "Rooms"], swiftSettings: strict),
        .target(
            name: "E2EE", dependencies: ["MatrixTypes", "MatrixCrypto", "Storage", "Replication", "RoomStore", "Accounts"], swiftSettings: strict
        ),
        .target(
            name: "Sync",
            dependencies: [
                "MatrixTypes", "Replication", "Storage", "RoomStore", "Rooms", "AccountData", "Receipts", "Typing", "Presence", "Directory",
                "E2EE", logging, metrics,
            ],
            swiftSettings: strict
        ),

        .target(
            name: "Federation",
            dependencies: [
                "MatrixTypes", "MatrixCrypto", nio, nioPosix, logging, .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "RoomFederation",
            dependencies: [
                "MatrixTypes", "MatrixCrypto", "EventAuth", "Storage", "RoomStore", "Rooms", "Federation", "Typing", "Receipts", "Presence", "Spaces",
                "E2EE",
                logging,
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "FederationSender",
            dependencies: [
                "MatrixTypes", "Storage", "RoomStore", "Replication", "Receipts", "Federation", "E2EE", logging,
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "URLPreview",
            dependencies: ["MatrixTypes", "Federation", "CLibXML2", nio, nioPosix, logging, .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strict
        ),

        // Layers 9-10: HTTP plumbing and route collections.
        .target(name: "MatrixHTTP", dependencies: ["MatrixTypes", hummingbird, httpTypes, nio, logging, metrics], swiftSettings: strict),
        .target(
            name: "ClientAPI",
            dependencies: [
                "MatrixTypes", "MatrixHTTP", "Accounts", "Rooms", "RoomStore", "Sync", "Replication", "AccountData", "Filters", "KeyBackup",
                "Receipts", "Typing", "Presence", "Profiles", "Directory", "Spaces", "E2EE", "VoIP", "Media", "URLPreview", httpTypes,
            ],
            swiftSettings: strict
        ),
        .target(name: "AdminAPI", dependencies: ["MatrixTypes", "MatrixHTTP", "Accounts", "ClientAPI", httpTypes], swiftSettings: strict),
        .target(
            name: "FederationAPI",
            dependencies: [
                "MatrixTypes", "MatrixCrypto", "MatrixHTTP", "Federation", "RoomFederation", "Rooms", "Profiles", "Directory", "Spaces", "E2EE",
                "Media", httpTypes, nio,
            ],
            swiftSettings: strict
        ),

        // Layer 11: composition root.
        .target(
            name: "AxonRuntime",
            dependencies: [
                "MatrixTypes", "MatrixCrypto", "AxonConfig", "Storage", "StorageSQLite", "StoragePostgres",
                "MatrixHTTP", "ClientAPI", "AdminAPI", "Federation", "FederationAPI", "RoomFederation", "FederationSender", "Accounts", "Replication", "ReplicationRedis", "RoomStore", "Rooms", "Sync", "AccountData", "Filters",
                "KeyBackup", "Receipts", "Typing", "Presence", "Profiles", "Directory", "Spaces", "E2EE", "VoIP", "Media", "Thumbnails", "URLPreview", hummingbird, httpTypes, nio, nioPosix, lifecycle, logging,
                argumentParser, httpClient, crypto, metrics, prometheus, .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // Layer 12: executables.
        .executableTarget(name: "axon", dependencies: ["AxonRuntime"], swiftSettings: strict),

        // Test support and suites.
        .target(
            name: "AxonTesting",
            dependencies: [
                "MatrixTypes", "MatrixCrypto", "AxonConfig", "Storage", "StorageSQLite", "StoragePostgres", logging, httpClient, nio, nioPosix,
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/AxonTesting",
            swiftSettings: strict
        ),
        .target(
            name: "RoomTesting",
            dependencies: ["Rooms", "RoomStore", "AccountData", "Accounts", "Replication", "Storage"],
            path: "Tests/RoomTesting",
            swiftSettings: strict
        ),
        .testTarget(name: "ArchitectureTests", swiftSettings: strict),
        .testTarget(
            name: "ReplicationTests", dependencies: ["Replication", "ReplicationRedis", "MatrixTypes", "AxonTesting", logging], swiftSettings: strict
        ),
        .testTarget(name: "MatrixTypesTests", dependencies: ["MatrixTypes", "AxonTesting"], swiftSettings: strict),
        .testTarget(name: "MatrixCryptoTests", dependencies: ["MatrixCrypto", "MatrixTypes"], swiftSettings: strict),
        .testTarget(
            name: "FederationTests", dependencies: ["Federation", "MatrixCrypto", "MatrixTypes", "AxonTesting", nio, .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RoomFederationTests",
            dependencies: ["RoomFederation", "Spaces", "Rooms", "RoomStore", "Replication", "MatrixCrypto", "MatrixTypes", "AxonTesting", logging],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EventAuthTests", dependencies: ["EventAuth", "MatrixTypes", "MatrixCrypto", "AxonTesting"],
            exclude: ["Differential"], swiftSettings: strict
        ),
        .testTarget(name: "AccountsTests", dependencies: ["Accounts", "MatrixTypes", "Storage", "AxonTesting"], swiftSettings: strict),
        .testTarget(
            name: "AccountDataTests", dependencies: ["AccountData", "MatrixTypes", "Replication", "Storage", "AxonTesting"], swiftSettings: strict
        ),
        .testTarget(name: "FiltersTests", dependencies: ["Filters", "MatrixTypes", "Storage", "AxonTesting"], swiftSettings: strict),
        .testTarget(name: "KeyBackupTests", dependencies: ["KeyBackup", "MatrixTypes", "Storage", "AxonTesting"], swiftSettings: strict),
        .testTarget(name: "VoIPTests", dependencies: ["VoIP", "MatrixTypes"], swiftSettings: strict),
        .testTarget(name: "MediaTests", dependencies: ["Media", "Thumbnails", "MatrixTypes", "Storage", "AxonTesting", nio, logging], swiftSettings: strict),
        .testTarget(name: "ThumbnailsTests", dependencies: ["Thumbnails", "CVips"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "URLPreviewTests",
            dependencies: ["URLPreview", "Federation", "AxonConfig", "MatrixTypes", "AxonTesting", nio, .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ProfilesTests",
            dependencies: [
                "Profiles", "Rooms", "RoomStore", "Accounts", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "RoomTesting", "AxonTesting",
                logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DirectoryTests",
            dependencies: [
                "Directory", "Rooms", "RoomStore", "Accounts", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "RoomTesting", "AxonTesting",
                logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SpacesTests",
            dependencies: [
                "Spaces", "Rooms", "RoomStore", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "RoomTesting", "AxonTesting", logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "E2EETests",
            dependencies: [
                "E2EE", "Accounts", "Rooms", "RoomStore", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "RoomTesting", "AxonTesting",
                logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "RoomStoreTests", dependencies: ["RoomStore", "MatrixTypes", "Storage", "AxonTesting"], swiftSettings: strict),
        .testTarget(
            name: "RoomsTests",
            dependencies: ["Rooms", "RoomStore", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "RoomTesting", "AxonTesting", logging],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "Rooms", "RoomStore", "Replication", "MatrixCrypto", "MatrixTypes", "Storage", "AccountData", "Receipts", "Typing",
                "Presence", "Accounts", "E2EE", "RoomTesting", "AxonTesting", logging,
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "AxonConfigTests", dependencies: ["AxonConfig", "AxonTesting", "MatrixTypes"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "StorageSQLite", "StoragePostgres", "AxonTesting"], swiftSettings: strict),
        .testTarget(
            name: "MatrixHTTPTests",
            dependencies: [
                "MatrixHTTP", "ClientAPI", "AxonRuntime", "AxonConfig", "AxonTesting", "MatrixTypes", "MatrixCrypto", "Storage", "Accounts", "URLPreview",
                "Federation", hummingbird, httpTypes, nio, logging,
                crypto,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["AxonTesting", "AxonConfig", "MatrixTypes", "MatrixCrypto", "Storage", "StorageSQLite", "Accounts", httpClient],
            path: "Tests/Integration",
            swiftSettings: strict
        ),
    ] + workerExecutables.map { .executableTarget(name: $0, dependencies: ["AxonRuntime", "MatrixHTTP"], swiftSettings: strict) }
)
