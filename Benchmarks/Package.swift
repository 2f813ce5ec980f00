// swift-tools-version:6.2
//
// The benchmarks, in a package of their own so that the root package gives
// its dependents only the libraries and `mlp` (as swift-collections and
// swift-nio keep theirs). It depends on the root package by path:
//
//   swift run -c release --package-path Benchmarks kernels-bench gemm --quick
//
// `KERNELS_TARGET_CPU=<cpu>` compiles the benchmark for that CPU too, as the
// root package compiles every module then (Docs/Building.md).

import PackageDescription

let targetCPU = Context.environment["KERNELS_TARGET_CPU"].flatMap { $0.isEmpty || $0 == "baseline" ? nil : $0 }
let swiftSettings: [SwiftSetting] = targetCPU.map { [.unsafeFlags(["-target-cpu", $0])] } ?? []

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "kernels-bench", targets: ["KernelsBench"])],
    dependencies: [.package(name: "swift-mlp-kernels", path: "..")],
    targets: [
        .target(name: "MallocCounter", path: "MallocCounter"),
        .executableTarget(
            name: "KernelsBench",
            dependencies: [
                "MallocCounter",
                .product(name: "Kernels", package: "swift-mlp-kernels"),
                .product(name: "MLP", package: "swift-mlp-kernels"),
                .product(name: "MLPData", package: "swift-mlp-kernels"),
            ],
            path: "KernelsBench",
            swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
