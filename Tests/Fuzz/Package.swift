// swift-tools-version:6.2
//
// libFuzzer targets for every parser of outside input (Docs/Reliability.md).
// Build and run (Linux):
//
//   swift build -c release --package-path Tests/Fuzz -Xswiftc -use-ld=lld \
//       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   Tests/Fuzz/.build/release/FuzzCSV -max_total_time=30 <a copy of Tests/Fuzz/Corpus/csv>
//
// Each target reads one input with the package's public API; any thrown
// error is a correct answer, a trap or a sanitizer report is a finding.
// SwiftPM points an executable's `main` at `<Target>_main`, so each target
// defines that and hands libFuzzer its callback (FuzzDriver); gold fails to
// link that arrangement, lld does.

import PackageDescription

let targets = ["FuzzArguments", "FuzzCSV", "FuzzIDX", "FuzzModelFile", "FuzzSafetensors"]

let package = Package(
    name: "Fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-mlp-kernels", path: "../..")],
    targets: [.target(name: "FuzzDriver")]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzDriver",
                    .product(name: "MLPData", package: "swift-mlp-kernels"),
                    .product(name: "MLP", package: "swift-mlp-kernels"),
                    .product(name: "MLPCommand", package: "swift-mlp-kernels"),
                ])
        },
    swiftLanguageModes: [.v6]
)
