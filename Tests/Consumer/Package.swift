// swift-tools-version:6.0
// A package that depends on the kernels the way users do: by URL and version.
// SwiftPM forbids unsafe flags in such dependencies, so this build proves the
// library's manifest adds none there. `.ci/run` points KERNELS_PACKAGE_URL at
// a tagged clone (file://…).
import PackageDescription
import Foundation

let url = ProcessInfo.processInfo.environment["KERNELS_PACKAGE_URL"] ?? "https://example.invalid/swift-mlp-kernels.git"

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(url: url, from: "1.0.0")],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "Kernels", package: "swift-mlp-kernels")])
    ]
)
