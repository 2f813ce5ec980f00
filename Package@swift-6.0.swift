// swift-tools-version:6.0
//
// The manifest for toolchains before Swift 6.2 (6.2 and later read
// Package.swift). Those SwiftPM versions refuse unsafe flags in packages
// resolved by URL and version, so this one compiles the vector code once,
// for baseline x86-64 (multiply-then-add; on arm64, NEON with FMA), with no
// flags: portable and correct everywhere, without the AVX2 and AVX-512
// variants that Package.swift adds (Docs/Building.md).

import PackageDescription

#if arch(arm64)
    let simdSettings: [SwiftSetting] = [.define("KERNELS_FMA")]
#else
    let simdSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "swift-mlp-kernels",
    platforms: [.macOS(.v15), .iOS(.v18), .tvOS(.v18)],
    products: [
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "MLP", targets: ["MLP"]),
        .library(name: "MLPData", targets: ["MLPData"]),
        .library(name: "MLPCommand", targets: ["MLPCommand"]),
        .executable(name: "mlp", targets: ["mlp"]),
    ],
    targets: [
        .target(name: "KernelsCore"),
        .target(name: "KernelsCPU"),
        .target(name: "KernelsSIMD", dependencies: ["KernelsCore"], swiftSettings: simdSettings),
        .target(name: "Kernels", dependencies: ["KernelsCore", "KernelsCPU", "KernelsSIMD"]),
        .target(name: "MLP", dependencies: ["Kernels"]),
        .target(name: "MLPData", dependencies: ["MLP", "Kernels"]),
        .target(name: "MLPCommand", dependencies: ["MLPData", "MLP", "Kernels"]),
        .executableTarget(name: "mlp", dependencies: ["MLPCommand"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        .testTarget(name: "MLPTests", dependencies: ["MLP", "Kernels"], exclude: ["Fixtures"]),
        .testTarget(name: "MLPDataTests", dependencies: ["MLPData", "MLP", "Kernels"]),
        .testTarget(name: "MLPCommandTests", dependencies: ["mlp", "MLPCommand"]),
    ],
    swiftLanguageModes: [.v6]
)
