// swift-tools-version:6.2
import PackageDescription

/// `axon-bench`, the load generator `make bench` drives, in a package of its own: the server's package neither builds
/// nor links it (nor its histogram dependency). It shares only `MatrixTypes` (JSON) with the server.
let package = Package(
    name: "AxonBenchmarks",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "axon-bench", targets: ["axon-bench"])],
    dependencies: [
        .package(name: "Axon", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "axon-bench",
            dependencies: [
                .product(name: "MatrixTypes", package: "Axon"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility")]
        ),
    ]
)
