// swift-tools-version:6.2
//
// The library declares no package dependencies, ever. The only logic here
// decides which CPUs the vector code is compiled for (Docs/Building.md):
//
// * By default, Sources/KernelsSIMD is compiled once per variant, each a
//   target of its own with its own target CPU and conditions: `KernelsSIMD`
//   (baseline x86-64, multiply-then-add), `KernelsSIMDAVX2` (haswell: the
//   x86-64-v3 level) and `KernelsSIMDAVX512` (skylake-avx512: x86-64-v4); the
//   latter two are symbolic links to the first folder. Everything else is
//   compiled for baseline x86-64, and
//   `Kernels` runs the best variant the CPU supports, chosen at run time.
//   Since tools version 6.2, SwiftPM accepts these flags in packages that
//   depend on this one by URL and version too. On arm64 there is one
//   variant, NEON, whose multiply-adds are always fused.
// * `KERNELS_TARGET_CPU=<cpu>` builds a single-target binary instead: one
//   variant, and every module, compiled for `<cpu>` (`native`, `baseline`, or
//   an LLVM CPU name such as `haswell` or `znver4`). It runs only on CPUs
//   that have what `<cpu>` has.
//
// The variant code learns what its target has through two compilation
// conditions: `KERNELS_FMA` (hardware fused multiply-add) and
// `KERNELS_AVX512` (16-lane registers and the SIMD16 micro-kernel).

import PackageDescription

#if canImport(Foundation)
    import Foundation
#endif

/// One compilation of Sources/KernelsSIMD.
struct Variant {
    var target: String
    var flags: [String] = []
    var conditions: [String] = []

    var swiftSettings: [SwiftSetting] {
        conditions.map { .define($0) } + (flags.isEmpty ? [] : [.unsafeFlags(flags)])
    }
}

enum Build {
    /// Conditions of the LLVM CPU names accepted by `KERNELS_TARGET_CPU`.
    static let knownCPUs: [String: [String]] = [
        "x86-64": [], "nehalem": [], "sandybridge": [], "ivybridge": [],
        "haswell": ["KERNELS_FMA"], "broadwell": ["KERNELS_FMA"],
        "skylake": ["KERNELS_FMA"], "znver1": ["KERNELS_FMA"], "znver2": ["KERNELS_FMA"], "znver3": ["KERNELS_FMA"],
        "skylake-avx512": ["KERNELS_FMA", "KERNELS_AVX512"],
        "cascadelake": ["KERNELS_FMA", "KERNELS_AVX512"], "icelake-server": ["KERNELS_FMA", "KERNELS_AVX512"],
        "sapphirerapids": ["KERNELS_FMA", "KERNELS_AVX512"],
        "znver4": ["KERNELS_FMA", "KERNELS_AVX512"], "znver5": ["KERNELS_FMA", "KERNELS_AVX512"],
    ]

    /// The single target CPU asked for, if any.
    static let targetCPU: String? = {
        guard let cpu = Context.environment["KERNELS_TARGET_CPU"], !cpu.isEmpty else { return nil }
        return cpu
    }()

    /// The variants to compile.
    static var variants: [Variant] {
        #if arch(arm64)
            return [Variant(target: "KernelsSIMD", flags: targetFlags, conditions: ["KERNELS_FMA"])]
        #else
            guard let cpu = targetCPU else {
                return [
                    Variant(target: "KernelsSIMD"),
                    Variant(target: "KernelsSIMDAVX2", flags: ["-target-cpu", "haswell"], conditions: ["KERNELS_FMA"]),
                    Variant(
                        target: "KernelsSIMDAVX512", flags: ["-target-cpu", "skylake-avx512"],
                        conditions: ["KERNELS_FMA", "KERNELS_AVX512"]),
                ]
            }
            switch cpu {
            case "baseline":
                return [Variant(target: "KernelsSIMD")]
            case "native":
                return [Variant(target: "KernelsSIMD", flags: targetFlags, conditions: hostConditions())]
            default:
                guard let conditions = knownCPUs[cpu] else {
                    fatalError(
                        "KERNELS_TARGET_CPU=\(cpu) is not a known CPU; use baseline, native or one of \(knownCPUs.keys.sorted().joined(separator: ", "))"
                    )
                }
                return [Variant(target: "KernelsSIMD", flags: targetFlags, conditions: conditions)]
            }
        #endif
    }

    /// Flags for every module: none unless a single target CPU is asked for.
    static var targetFlags: [String] {
        guard let cpu = targetCPU, cpu != "baseline" else { return [] }
        return ["-target-cpu", cpu]
    }

    static var swiftSettings: [SwiftSetting] { targetFlags.isEmpty ? [] : [.unsafeFlags(targetFlags)] }

    /// The conditions of the CPU building this package, read from the OS.
    static func hostConditions() -> [String] {
        #if os(Linux) && canImport(Foundation)
            guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
            else { return [] }
            let flags = Set(line.split(separator: " ").map(String.init))
            var conditions: [String] = []
            if flags.contains("fma") && flags.contains("avx2") { conditions.append("KERNELS_FMA") }
            if flags.contains("avx512f") && conditions.contains("KERNELS_FMA") { conditions.append("KERNELS_AVX512") }
            return conditions
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
}

let variants = Build.variants

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
        .target(name: "KernelsCore", swiftSettings: Build.swiftSettings),
        .target(name: "KernelsCPU"),
    ]
        + variants.map { variant in
            .target(
                name: variant.target, dependencies: ["KernelsCore"], path: "Sources/\(variant.target)",
                swiftSettings: variant.swiftSettings)
        }
        + [
            .target(
                name: "Kernels",
                dependencies: ["KernelsCore", "KernelsCPU"] + variants.map { .target(name: $0.target) },
                swiftSettings: Build.swiftSettings),
            .target(name: "MLP", dependencies: ["Kernels"], swiftSettings: Build.swiftSettings),
            .target(name: "MLPData", dependencies: ["MLP", "Kernels"], swiftSettings: Build.swiftSettings),
            .target(name: "MLPCommand", dependencies: ["MLPData", "MLP", "Kernels"], swiftSettings: Build.swiftSettings),
            .executableTarget(name: "mlp", dependencies: ["MLPCommand"], swiftSettings: Build.swiftSettings),
            .testTarget(name: "KernelsTests", dependencies: ["Kernels"], swiftSettings: Build.swiftSettings),
            .testTarget(name: "MLPTests", dependencies: ["MLP", "Kernels"], exclude: ["Fixtures"], swiftSettings: Build.swiftSettings),
            .testTarget(name: "MLPDataTests", dependencies: ["MLPData", "MLP", "Kernels"], swiftSettings: Build.swiftSettings),
            .testTarget(name: "MLPCommandTests", dependencies: ["mlp", "MLPCommand"], swiftSettings: Build.swiftSettings),
        ],
    swiftLanguageModes: [.v6]
)
