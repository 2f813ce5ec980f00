// swift-tools-version:6.0
//
// The library declares no package dependencies, ever. The only logic here
// chooses the CPU the SIMD kernels are compiled for (see Docs/Building.md):
//
// * Built as the root package (the README's commands, `swift test`): code is
//   compiled for the CPU of this machine (`-target-cpu native`), so
//   `SIMD8<Float>.addingProduct` becomes a vector FMA instead of scalar
//   `fmaf` library calls.
// * Resolved as a dependency by URL and version: SwiftPM forbids unsafe flags
//   there, so no target flag is added and the kernels take their portable
//   multiply-then-add path (vectorized, no library calls).
// * `KERNELS_TARGET_CPU=<cpu>` overrides both: `baseline` for no target flag,
//   `native`, or an LLVM CPU name such as `haswell` or `skylake-avx512` for
//   portable binaries.
//
// The kernels learn what the target has through two compilation conditions:
// `KERNELS_FMA` (hardware fused multiply-add) and `KERNELS_AVX512` (16-lane
// registers).

import PackageDescription

#if canImport(Foundation)
import Foundation
#endif

/// Target-CPU flags and feature conditions for the kernels.
struct TargetCPU {
    var flags: [String] = []
    var features: [String] = []

    /// LLVM CPU names this manifest knows the features of, for portable builds.
    static let knownCPUs: [String: [String]] = [
        "x86-64": [], "nehalem": [], "sandybridge": [], "ivybridge": [],
        "haswell": ["KERNELS_FMA"], "broadwell": ["KERNELS_FMA"], "skylake": ["KERNELS_FMA"],
        "znver1": ["KERNELS_FMA"], "znver2": ["KERNELS_FMA"], "znver3": ["KERNELS_FMA"],
        "skylake-avx512": ["KERNELS_FMA", "KERNELS_AVX512"],
        "cascadelake": ["KERNELS_FMA", "KERNELS_AVX512"],
        "icelake-server": ["KERNELS_FMA", "KERNELS_AVX512"],
        "sapphirerapids": ["KERNELS_FMA", "KERNELS_AVX512"],
        "znver4": ["KERNELS_FMA", "KERNELS_AVX512"], "znver5": ["KERNELS_FMA", "KERNELS_AVX512"],
    ]

    static func resolve() -> TargetCPU {
        #if arch(arm64)
        // Every arm64 CPU has vector FMA in its baseline.
        return TargetCPU(features: ["KERNELS_FMA"])
        #else
        let isDependency = Context.packageDirectory.contains("/checkouts/")
        let requested = Context.environment["KERNELS_TARGET_CPU"] ?? (isDependency ? "baseline" : "native")
        switch requested {
        case "baseline", "":
            return TargetCPU()
        case "native":
            return TargetCPU(flags: isDependency ? [] : ["-target-cpu", "native"], features: hostFeatures())
        default:
            guard let features = knownCPUs[requested] else {
                fatalError("KERNELS_TARGET_CPU=\(requested) is not a known CPU; use baseline, native or one of \(knownCPUs.keys.sorted().joined(separator: ", "))")
            }
            return TargetCPU(flags: isDependency ? [] : ["-target-cpu", requested], features: features)
        }
        #endif
    }

    /// The features of the CPU building this package, read from the OS.
    static func hostFeatures() -> [String] {
        #if os(Linux) && canImport(Foundation)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
        else { return [] }
        let flags = Set(line.split(separator: " ").map(String.init))
        var features: [String] = []
        if flags.contains("fma") && flags.contains("avx2") { features.append("KERNELS_FMA") }
        if flags.contains("avx512f") && features.contains("KERNELS_FMA") { features.append("KERNELS_AVX512") }
        return features
        #elseif os(macOS) && canImport(Foundation)
        var hasFMA: Int32 = 0, hasAVX512: Int32 = 0, size = MemoryLayout<Int32>.size
        sysctlbyname("hw.optional.fma", &hasFMA, &size, nil, 0)
        size = MemoryLayout<Int32>.size
        sysctlbyname("hw.optional.avx512f", &hasAVX512, &size, nil, 0)
        return (hasFMA != 0 ? ["KERNELS_FMA"] : []) + (hasFMA != 0 && hasAVX512 != 0 ? ["KERNELS_AVX512"] : [])
        #else
        return []
        #endif
    }

    var swiftSettings: [SwiftSetting] {
        features.map { .define($0) } + (flags.isEmpty ? [] : [.unsafeFlags(flags)])
    }
}

let target = TargetCPU.resolve()

let package = Package(
    name: "swift-mlp-kernels",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "MLP", targets: ["MLP"]),
        .executable(name: "mlp", targets: ["MLPCommand"]),
        .executable(name: "kernels-bench", targets: ["KernelsBench"]),
    ],
    targets: [
        .target(name: "Kernels", swiftSettings: target.swiftSettings),
        .target(name: "MLP", dependencies: ["Kernels"], swiftSettings: target.swiftSettings),
        .executableTarget(name: "MLPCommand", dependencies: ["MLP", "Kernels"], swiftSettings: target.swiftSettings),
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "KernelsBench", dependencies: ["Kernels", "MLP", "MallocCounter"], path: "Benchmarks/KernelsBench",
            swiftSettings: target.swiftSettings),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: target.swiftSettings),
        .testTarget(name: "MLPTests", dependencies: ["MLP", "Kernels"], swiftSettings: target.swiftSettings),
        .testTarget(name: "MLPCommandTests", dependencies: ["MLPCommand"], swiftSettings: target.swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
