/// A fast, seedable pseudo-random generator: xoshiro256** by Blackman and
/// Vigna, seeded through SplitMix64.
///
/// Same seed, same sequence, on every platform and Swift version, unlike
/// `SystemRandomNumberGenerator`; this is what makes training reproducible.
/// Not for cryptography.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Hashable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    ///
    /// - Parameter seed: any value, zero included (it is expanded by SplitMix64).
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix()
        s1 = splitMix()
        s2 = splitMix()
        s3 = splitMix()
    }

    /// The generator's complete state, to save and resume a sequence exactly.
    public var state: [UInt64] {
        get { [s0, s1, s2, s3] }
        set {
            require(newValue.count == 4 && newValue.contains { $0 != 0 }, "Xoshiro256.state: four words, not all zero")
            (s0, s1, s2, s3) = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }
}
