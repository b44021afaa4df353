// swift-tools-version: 6.0
// The image-dataset toolchain: six executables exchanging NDJSON (see README.md).
import PackageDescription

// The MD5 lane kernel's builds for x86-64 instruction sets; elsewhere (aarch64) the same targets
// compile for the default CPU and MultiBufferMD5 never selects them (see CPUFeatures.swift).
#if arch(x86_64)
let haswell: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
let skylakeAVX512: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
let nehalem: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "nehalem"])]
#else
let haswell: [SwiftSetting] = []
let skylakeAVX512: [SwiftSetting] = []
let nehalem: [SwiftSetting] = []
#endif

let package = Package(
    name: "imagekit",
    products: [
        .executable(name: "s3ls", targets: ["s3ls"]),
        .executable(name: "s3fetch", targets: ["s3fetch"]),
        .executable(name: "img-resize", targets: ["img-resize"]),
        .executable(name: "gemini-describe", targets: ["gemini-describe"]),
        .executable(name: "categorize", targets: ["categorize"]),
        .executable(name: "embed", targets: ["embed"]),
        .executable(name: "plotdist", targets: ["plotdist"]),
        .executable(name: "cluster", targets: ["cluster"]),
        .executable(name: "merge-shards", targets: ["merge-shards"]),
        .executable(name: "records-bench", targets: ["records-bench"]),
        .library(name: "Posix", targets: ["Posix"]),
        .library(name: "Records", targets: ["Records"]),
        .library(name: "ToolSupport", targets: ["ToolSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        // C libraries: the only places C is seen; each has one shim header.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),

        // Libraries.
        // The one door to the operating system: system calls, file descriptors, files and paths.
        .target(name: "Posix"),
        .target(name: "Records", dependencies: ["Posix"]),
        .target(name: "ToolSupport", dependencies: [
            "Posix", "Records",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "HTTP", dependencies: ["Posix", "CCurl"]),
        .target(name: "Imaging", dependencies: ["Posix", "CJPEG", "CPNG", "CWebP"]),
        .target(name: "Gemini", dependencies: ["Posix", "HTTP", "Records"]),
        // The record loop shared by the tools that call Gemini (joins ToolSupport, Gemini, Imaging,
        // and Analysis for embed's text and vectors file).
        .target(name: "GeminiStage", dependencies: [
            "Posix", "ToolSupport", "Gemini", "Imaging", "HTTP", "Records", "Analysis",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "Charts", dependencies: ["Posix", "CCairo", "Records", "Imaging", "Analysis"]),
        // Text features and vectors for the analysis tools: compact text, tokens, TF-IDF, hashed
        // term vectors, the .npy vectors file and the embedding field.
        .target(name: "Analysis", dependencies: ["Posix", "Records"]),
        // k-means and HDBSCAN in Swift (SIMD kernels, both cores); of Records only its seeded generator.
        .target(name: "Clustering", dependencies: ["Records"]),
        // cluster's two passes over the records (joins Clustering, Analysis and Records).
        .target(name: "ClusterStage", dependencies: ["Posix", "Records", "Analysis", "Clustering"]),
        // MD5 of sixteen inputs at once in SIMD lanes: the inlinable kernel, its builds for two
        // x86-64 instruction sets (the CPU is checked at run time) and the lane scheduler.
        .target(name: "MD5Lanes"),
        .target(name: "MD5LanesAVX2", dependencies: ["MD5Lanes"], swiftSettings: haswell),
        .target(name: "MD5LanesAVX512", dependencies: ["MD5Lanes"], swiftSettings: skylakeAVX512),
        .target(name: "ParallelMD5", dependencies: ["Posix", "MD5Lanes", "MD5LanesAVX2", "MD5LanesAVX512"]),
        // CRC32C with the SSE4.2 instruction and the PCLMULQDQ folding step of every CRC (the
        // CPU is checked at run time).
        .target(name: "CRC32CSSE42", swiftSettings: nehalem),
        .systemLibrary(name: "CCRCFold"),
        .target(name: "S3", dependencies: [
            "Posix", "HTTP", "Records", "ParallelMD5", "CRC32CSSE42", "CCRCFold",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Executables: thin; parse flags, wire library calls.
        .executableTarget(name: "s3ls", dependencies: ["Posix", "ToolSupport", "S3"]),
        .executableTarget(name: "s3fetch", dependencies: ["Posix", "ToolSupport", "S3"]),
        .executableTarget(name: "img-resize", dependencies: ["Posix", "ToolSupport", "Imaging"]),
        .executableTarget(name: "gemini-describe", dependencies: ["ToolSupport", "GeminiStage", "Gemini"]),
        .executableTarget(name: "categorize", dependencies: ["ToolSupport", "GeminiStage", "Gemini", "Records"]),
        .executableTarget(name: "embed", dependencies: ["Analysis", "ToolSupport", "GeminiStage", "Gemini", "Records"]),
        .executableTarget(name: "cluster", dependencies: ["Posix", "Records", "ToolSupport", "ClusterStage"]),
        .executableTarget(name: "plotdist", dependencies: ["Posix", "ToolSupport", "Charts"]),
        // Joins a stage's shard outputs in the input's order (the pipeline's SHARDS=N).
        .executableTarget(name: "merge-shards", dependencies: ["Posix", "Records", "ToolSupport"]),
        .executableTarget(name: "records-bench", dependencies: ["Posix", "Records"]),
        // libFuzzer target for the image decoders (scripts/fuzz.sh).
        .executableTarget(name: "imaging-fuzz", dependencies: ["Imaging"]),
        // Test fixture and template: passes records through with every shared convention.
        .executableTarget(name: "record-pass", dependencies: ["Records", "ToolSupport"]),

        // Tests.
        // Helpers every test target shares: waiting with a deadline, running processes, reading records.
        .target(name: "TestUtilities", dependencies: ["Records", "Clustering"], path: "Tests/TestUtilities"),
        .testTarget(name: "PosixTests", dependencies: ["Posix"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records"]),
        .testTarget(name: "ToolSupportTests", dependencies: ["ToolSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "Records", "TestUtilities"], exclude: ["Fixtures"]),
        .testTarget(name: "S3Tests", dependencies: ["S3", "ParallelMD5", "Posix"]),
        .testTarget(name: "GeminiTests", dependencies: ["Gemini", "HTTP"]),
        .testTarget(name: "GeminiStageTests", dependencies: ["GeminiStage", "Gemini", "Records", "ToolSupport",
                                                            .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ClusteringTests", dependencies: ["Clustering", "TestUtilities"], exclude: ["make_reference.py"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "Imaging", "Records"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Records", "Posix", "TestUtilities"], exclude: ["make_reference.py"]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "Posix", "Records", "Imaging", "S3", "TestUtilities", "Analysis", "Clustering", "record-pass", "s3ls", "s3fetch", "img-resize", "gemini-describe", "categorize", "plotdist", "embed", "cluster", "merge-shards",
        ]),
    ]
)
