/// A wrong shape, count or value given to a function of this module.
///
/// The MLP module's rule (Docs/Reliability.md): a public function whose
/// arguments can disagree — a dataset's labels and rows, a network's layers,
/// the width of the samples given to `predict` — checks them and throws this
/// error, naming the function, the argument and both shapes; it never stops
/// the program. (Data that is wrong rather than mismatched has its own errors:
/// ``TrainingError``, ``PCAError``, ``ModelFileError``.)
public struct ArgumentError: Error, Equatable, CustomStringConvertible {
    /// The function that refused its arguments, e.g. `Network.predict`.
    public var function: String
    /// What is wrong, naming the argument and both shapes or the allowed range.
    public var problem: String

    /// An error of `function` saying `problem`.
    ///
    /// - Parameters:
    ///   - function: the function called, e.g. `Network.predict`.
    ///   - problem: what is wrong, naming the argument and its shape.
    public init(_ function: String, _ problem: String) {
        self.function = function
        self.problem = problem
    }

    /// One line: the function, then the problem.
    public var description: String { "\(function): \(problem)" }
}

/// Throws ``ArgumentError`` with `problem` when `condition` is false.
@inline(__always)
func check(_ condition: Bool, _ function: String, _ problem: @autoclosure () -> String) throws(ArgumentError) {
    if !condition { throw ArgumentError(function, problem()) }
}
