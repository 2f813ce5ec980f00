#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Matrix {
    /// A (rows × columns) matrix of independent samples uniform in `range`.
    ///
    /// Deterministic for a given generator state; see ``Xoshiro256``.
    ///
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - range: the interval the samples fall in.
    ///   - generator: the source of randomness, advanced by the draws.
    public static func uniform(
        rows: Int, columns: Int, in range: ClosedRange<Float> = 0...1,
        using generator: inout some RandomNumberGenerator
    ) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        let width = range.upperBound - range.lowerBound
        result.formMap { _ in range.lowerBound + width * generator.nextUnitFloat() }
        return result
    }

    /// A (rows × columns) matrix of independent normal samples with the given
    /// mean and standard deviation (Box–Muller transform).
    ///
    /// Deterministic for a given generator state; see ``Xoshiro256``.
    ///
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - mean: the distribution's mean.
    ///   - standardDeviation: the distribution's standard deviation.
    ///   - generator: the source of randomness, advanced by the draws.
    public static func normal(
        rows: Int, columns: Int, mean: Float = 0, standardDeviation: Float = 1,
        using generator: inout some RandomNumberGenerator
    ) -> Matrix {
        var result = Matrix(rows: rows, columns: columns)
        var spare: Float?
        result.formMap { _ in
            if let value = spare {
                spare = nil
                return mean + standardDeviation * value
            }
            let (first, second) = generator.nextStandardNormalPair()
            spare = second
            return mean + standardDeviation * first
        }
        return result
    }
}

extension RandomNumberGenerator {
    /// A float uniform in [0, 1) from the top 24 bits of the next output.
    @inlinable
    mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// Two independent standard normal samples (Box–Muller, computed in Double).
    mutating func nextStandardNormalPair() -> (Float, Float) {
        let u1 = (Double(next() >> 11) + 0.5) * 0x1p-53  // in (0, 1): log(u1) is finite
        let u2 = Double(next() >> 11) * 0x1p-53
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (Float(radius * cos(angle)), Float(radius * sin(angle)))
    }
}
