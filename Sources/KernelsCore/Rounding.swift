/// `x` rounded up to a multiple of `unit` (both ≥ 0, `unit` ≥ 1).
@inline(__always)
package func roundUp(_ x: Int, to unit: Int) -> Int { (x + unit - 1) / unit * unit }
