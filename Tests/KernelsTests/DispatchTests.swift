import Kernels
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Which variant runs, and the block sizes derived from the caches.
@Suite("Run-time dispatch and blocking")
struct DispatchTests {
    @Test("the active variant is the fastest supported one, or the one KERNELS_VARIANT names")
    func activeVariant() {
        // The most portable variant of the binary runs on any CPU of its
        // architecture (the CPUID check must say so).
        #expect(KernelVariant.supported.first == KernelVariant.compiled.first)
        if let requested = getenv("KERNELS_VARIANT").map({ String(cString: $0) }), !requested.isEmpty {
            #expect(KernelVariant.active.rawValue == requested)
        } else {
            #expect(KernelVariant.active == KernelVariant.supported.last)
        }
        #expect(BuildConfiguration.summary.hasPrefix(KernelVariant.active.summary))
    }

    #if os(Linux) && arch(x86_64)
        @Test("the variants the CPUID check allows agree with the kernel's /proc/cpuinfo flags")
        func supportAgreesWithCPUInfo() throws {
            let cpuinfo = try #require(readFile("/proc/cpuinfo"))
            let line = try #require(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
            let flags = Set(line.split(separator: " ").map(String.init))
            let level3 = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"].allSatisfy(flags.contains)
            let level4 = level3 && ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"].allSatisfy(flags.contains)
            #expect(KernelVariant.baseline.isSupported == KernelVariant.compiled.contains(.baseline))
            if KernelVariant.compiled.contains(.avx2) { #expect(KernelVariant.avx2.isSupported == level3) }
            if KernelVariant.compiled.contains(.avx512) { #expect(KernelVariant.avx512.isSupported == level4) }
        }

        @Test("the caches of this machine are read from the OS")
        func cachesAreRead() {
            let caches = CPUCaches.current
            #expect(caches.source == "sysfs" || caches.source == "sysconf")
            #expect((caches.l1Data ?? 0) >= 8 << 10 && (caches.l2 ?? 0) >= 128 << 10)
        }
    #endif

    @Test("the blocking rule gives the measured sizes on the measured caches, and unknown caches the same")
    func blockingOnMeasuredMachines() {
        let zen3 = CPUCaches(l1Data: 32 << 10, l2: 512 << 10, l3: 32 << 20, l3SharedBy: 2, source: "test")
        let zen4 = CPUCaches(l1Data: 32 << 10, l2: 1 << 20, l3: 32 << 20, l3SharedBy: 2, source: "test")
        let unknown = CPUCaches(l1Data: nil, l2: nil, l3: nil, source: "unknown")
        for kernel in GEMMMicroKernel.allCases {
            for caches in [zen3, zen4, unknown] {
                #expect(GEMMBlocking.derived(for: kernel, caches: caches) == GEMMBlocking(mc: 96, kc: 512, nc: 1020, ms: 4128))
            }
        }
    }

    @Test("smaller caches give smaller blocks, each by the loop it cuts")
    func blockingOnSmallCaches() {
        // L1d 16 KiB, L2 256 KiB, 8 MiB of L3 shared by 8: 1 MiB per processor.
        let small = CPUCaches(l1Data: 16 << 10, l2: 256 << 10, l3: 8 << 20, l3SharedBy: 8, source: "test")
        // KC: ¾·16 KiB / (6·4 B) = 512; ½·256 KiB / (512·4 B) = 64 rows;
        // ¼ MiB / 2 KiB = 128 → 132 columns (nearest multiple of 12); ½ MiB / 2 KiB = 256 rows.
        #expect(GEMMBlocking.derived(for: .simd8, caches: small) == GEMMBlocking(mc: 64, kc: 512, nc: 132, ms: 256))
        // SIMD16: ¾·16 KiB / (12·4 B) = 256; 128 KiB / 1 KiB = 128 → 96 (the cap);
        // ¼ MiB / 1 KiB = 256 → 252; ½ MiB / 1 KiB = 512 rows → 480 (nearest 96).
        #expect(GEMMBlocking.derived(for: .simd16, caches: small) == GEMMBlocking(mc: 96, kc: 256, nc: 252, ms: 480))
    }
}

#if os(Linux)
    /// The contents of a text file, read with the C library.
    private func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
#endif
