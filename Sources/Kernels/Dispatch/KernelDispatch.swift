import KernelsCPU
import KernelsSIMD
import Synchronization

#if canImport(KernelsSIMDAVX2)
    import KernelsSIMDAVX2
#endif
#if canImport(KernelsSIMDAVX512)
    import KernelsSIMDAVX512
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The choice of variant: which compiled ``KernelVariant`` every operation
/// runs (Docs/Building.md, "Run-time dispatch").
///
/// At first use it takes the best variant the CPU supports, or the one
/// named by the environment variable `KERNELS_VARIANT`; ``KernelVariant/active``
/// changes it. Each public entry point reads the choice once per call and
/// runs the whole operation in that variant.
package enum KernelDispatch {
    /// The implementations in this binary, from the most portable to the fastest.
    static let compiled: [any KernelImplementation.Type] = {
        var implementations: [any KernelImplementation.Type] = [KernelsSIMD.Implementation.self]
        #if canImport(KernelsSIMDAVX2)
            implementations.append(KernelsSIMDAVX2.Implementation.self)
        #endif
        #if canImport(KernelsSIMDAVX512)
            implementations.append(KernelsSIMDAVX512.Implementation.self)
        #endif
        return implementations
    }()

    /// Index into `compiled` of the active implementation; −1 until chosen.
    private static let selected = Atomic<Int>(-1)

    /// The active variant's implementation.
    package static var implementation: any KernelImplementation.Type {
        let index = selected.load(ordering: .relaxed)
        return compiled[index >= 0 ? index : choose()]
    }

    /// The implementation of `variant`, or the active one for `nil`.
    ///
    /// - Precondition: `variant` is compiled and supported by the CPU.
    package static func implementation(for variant: KernelVariant?) -> any KernelImplementation.Type {
        guard let variant else { return implementation }
        return compiled[index(of: variant)]
    }

    /// Makes `variant` the active one.
    static func select(_ variant: KernelVariant) {
        selected.store(index(of: variant), ordering: .relaxed)
    }

    private static func index(of variant: KernelVariant) -> Int {
        guard let index = compiled.firstIndex(where: { $0.variant == variant }), isSupported(variant) else {
            requirementFailed(
                "kernel variant \(variant) is not supported here; supported: \(supported.map(\.rawValue).joined(separator: ", "))")
        }
        return index
    }

    /// The variants in this binary that the running CPU can execute.
    static var supported: [KernelVariant] { compiled.map { $0.variant }.filter(isSupported) }

    /// The x86-64 level of the running CPU and OS (0 elsewhere), asked once.
    private static let x86Level = Int(kernels_x86_64_level())

    /// Whether the running CPU and OS can execute `variant`'s instructions.
    static func isSupported(_ variant: KernelVariant) -> Bool {
        switch variant {
        case .baseline: return x86Level >= 1
        case .avx2: return x86Level >= 3
        case .avx512: return x86Level >= 4
        case .neon:
            #if arch(arm64)
                return true
            #else
                return false
            #endif
        }
    }

    /// The first choice: `KERNELS_VARIANT` when set, else the fastest supported.
    private static func choose() -> Int {
        var choice = supported.last
        if let requested = getenv("KERNELS_VARIANT").map({ String(cString: $0) }), !requested.isEmpty {
            guard let named = KernelVariant(rawValue: requested), supported.contains(named) else {
                stop("KERNELS_VARIANT=\(requested) is not supported by this binary on this CPU; supported: \(supported.map(\.rawValue))")
            }
            choice = named
        }
        guard let variant = choice else {
            stop("this binary's kernels were built for \(compiled[0].variant) only (KERNELS_TARGET_CPU), which this CPU does not support")
        }
        let index = index(of: variant)
        // Two threads choosing at once choose the same; either store is right.
        selected.store(index, ordering: .relaxed)
        return index
    }

    /// Prints `message` on standard error and exits with status 2: a choice
    /// the user made outside the program cannot be honoured.
    private static func stop(_ message: String) -> Never {
        var line = message + "\n"
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
}

extension KernelVariant {
    /// The variant that runs the kernels.
    ///
    /// Chosen at first use: the fastest variant in this binary that the CPU
    /// supports, unless the environment variable `KERNELS_VARIANT` names
    /// another (`baseline`, `avx2`, `avx512`, `neon`). Setting it makes every
    /// later call run that variant, for tests and benchmarks that compare
    /// them; a call already running finishes in the variant it started with.
    ///
    /// - Precondition: a variant in ``supported``.
    public static var active: KernelVariant {
        get { KernelDispatch.implementation.variant }
        set { KernelDispatch.select(newValue) }
    }

    /// The variants compiled into this binary, from the most portable to the fastest.
    public static var compiled: [KernelVariant] { KernelDispatch.compiled.map { $0.variant } }

    /// The compiled variants the running CPU supports.
    public static var supported: [KernelVariant] { KernelDispatch.supported }

    /// Whether this binary contains the variant and the CPU can run it.
    public var isSupported: Bool { KernelDispatch.compiled.contains { $0.variant == self } && KernelDispatch.isSupported(self) }
}
