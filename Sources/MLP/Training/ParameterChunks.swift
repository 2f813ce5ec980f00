import Kernels

/// A pass over a whole parameter buffer, one chunk at a time: the
/// optimizer's update or Σ g².
protocol ChunkOperation {
    /// Works on `range` (weights only, or biases only) and returns its part of the sum.
    func run(_ range: Range<Int>, isWeights: Bool) -> Double
}

/// Passes over a whole parameter buffer (``ChunkOperation``s) in fixed
/// chunks that the threads of a region share. The chunks depend only on the
/// layout, and partial sums are added in chunk order, so the results are
/// bitwise the same for any thread count. The operation travels to the
/// threads as a value: handing them a closure would allocate.
enum ParameterChunks {
    /// Floats per chunk: 32 KiB, a few microseconds of work.
    static let size = 8192

    /// Runs `operation` on every chunk of `[0, count)`, no chunk straddling
    /// `weightsEnd`, and returns the sum of its results in chunk order.
    static func sum<Operation: ChunkOperation>(count: Int, weightsEnd: Int, threads: Int, _ operation: Operation) -> Double {
        let weightChunks = (weightsEnd + size - 1) / size
        let chunks = weightChunks + (count - weightsEnd + size - 1) / size
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, chunks)) { partial in
            let job = Job(operation: operation, partial: partial.baseAddress!, weightChunks: weightChunks, weightsEnd: weightsEnd, count: count)
            Threading.parallelFor(chunks, threads: threads, job)
            var total = 0.0
            for c in 0..<chunks { total += partial[c] }
            return total
        }
    }

    /// Chunk `c` of the pass: its range, its result into `partial[c]`.
    struct Job<Operation: ChunkOperation>: ParallelJob {
        let operation: Operation
        let partial: UnsafeMutablePointer<Double>
        let weightChunks: Int, weightsEnd: Int, count: Int

        func run(_ c: Int) {
            let isWeights = c < weightChunks
            let lower = isWeights ? c * size : weightsEnd + (c - weightChunks) * size
            let upper = min(isWeights ? weightsEnd : count, lower + size)
            partial[c] = operation.run(lower..<upper, isWeights: isWeights)
        }
    }
}

/// Σ g² over the gradients.
struct GradientSquares: ChunkOperation {
    let g: UnsafePointer<Float>

    func run(_ range: Range<Int>, isWeights: Bool) -> Double {
        ParameterUpdate.sumOfSquares(count: range.count, g + range.lowerBound)
    }
}

/// The optimizer's update of the parameters from their gradients; returns Σ Δw².
struct OptimizerUpdate: ChunkOperation {
    let optimizer: Optimizer
    let t: TensorMemory
    let learningRate: Float, step: Int

    func run(_ range: Range<Int>, isWeights: Bool) -> Double {
        let offset = range.lowerBound
        return optimizer.update(
            count: range.count, w: t.w + offset, g: t.g + offset, s1: t.s1.map { $0 + offset }, s2: t.s2.map { $0 + offset },
            lr: learningRate, step: step, decays: isWeights)
    }
}
