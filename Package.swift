// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "StatNet",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "StatNet", targets: ["StatNet"]),
        .library(name: "StatNetCore", targets: ["StatNetCore"]),
        .executable(name: "statnet", targets: ["statnet"]),
        .executable(name: "statnet-serve", targets: ["statnet-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `statnet serve` only (its own target): without the swift-configuration trait.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    ],
    targets: [
        // Matrix multiply: OpenBLAS (Debian libopenblas-dev). pkg-config finds the headers.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // PNG reading: Debian's libpng (libpng-dev), through its simplified API (see shim.h).
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        // SHA-256 of the data files: OpenSSL's libcrypto (Debian libssl-dev), already on most
        // machines, instead of a Swift package that compiles its own copy of BoringSSL.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // gzip reading: gzread reads .gz and plain files alike.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Small C kernels and helpers: flush-to-zero for the training threads, Adam compiled per
        // instruction set, the stop-signal flag (see include/ckernels.h for why each is in C).
        .target(name: "CKernels"),
        // The compute engine: Math, NN, Optim and the training steps. No file I/O and no
        // Foundation, so the compiler keeps files, runs and reports out of it.
        .target(name: "StatNetCore", dependencies: ["COpenBLAS", "CKernels"]),
        // Everything with files, runs and reports, on top of the core (which it re-exports).
        .target(
            name: "StatNet",
            dependencies: [
                "StatNetCore", "CZlib", "CKernels", "CPNG", "CCrypto",
            ],
            // The analysis plan the report applies (docs/analysis-plan.md describes it).
            resources: [.embedInCode("Resources/analysis-plan.json")]
        ),
        // `statnet serve`: routes, the embedded page; apart so that the library needs no SwiftNIO.
        .target(
            name: "StatNetServer",
            dependencies: ["StatNet", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdCore", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            resources: [.embedInCode("Resources/index.html")]
        ),
        // What both executables share: option groups, failures, the process set-up and exit statuses.
        .target(
            name: "StatNetCommandLine",
            dependencies: ["StatNet", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The command-line tool; `statnet serve` runs statnet-serve, so this builds without SwiftNIO.
        .executableTarget(
            name: "statnet",
            dependencies: ["StatNet", "StatNetCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "statnet-serve",
            dependencies: ["StatNetServer", "StatNetCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The compute core's tests: kernels, layers, gradient checks, PyTorch parity, the steps.
        .testTarget(name: "StatNetCoreTests", dependencies: ["StatNetCore"]),
        .testTarget(
            name: "StatNetTests",
            dependencies: ["StatNetCore", "StatNet", "StatNetServer", .product(name: "HummingbirdTesting", package: "hummingbird")],
            exclude: ["Fixtures"]
        ),
    ]
)
