import Foundation
// swift-tools-version:6.0
// A package that depends on the kernels the way users do: by URL and version.
// `.ci/run` points KERNELS_PACKAGE_URL at a tagged clone (file://…), builds
// this with no flags, and runs the binary natively and under qemu-user with
// older CPUs: the kernel variants (and their target flags, which SwiftPM
// accepts from a dependency whose manifest has tools version 6.2) must come
// with the dependency, and the binary must pick the right one at run time.
// `ReadmeExample` is the README's "Using the package" program, verbatim
// (`.ci/run` checks that the two are the same text).
import PackageDescription

let url = ProcessInfo.processInfo.environment["KERNELS_PACKAGE_URL"] ?? "https://example.invalid/swift-mlp-kernels.git"

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: url, from: "1.0.0")],
    targets: [
        .executableTarget(
            name: "Consumer",
            dependencies: [
                .product(name: "Kernels", package: "swift-mlp-kernels"),
                .product(name: "MLP", package: "swift-mlp-kernels"),
            ]),
        .executableTarget(
            name: "ReadmeExample",
            dependencies: [
                .product(name: "MLP", package: "swift-mlp-kernels"),
                .product(name: "MLPData", package: "swift-mlp-kernels"),
            ]),
    ]
)
