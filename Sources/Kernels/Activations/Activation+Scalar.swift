extension Activation {
    /// f(z) for one value, rounded exactly as the vector kernels of the active
    /// variant round it.
    ///
    /// - Parameter z: the pre-activation.
    public func callAsFunction(_ z: Float) -> Float {
        KernelDispatch.implementation.activation(self, at: z).value
    }

    /// f′ at z for one value, rounded exactly as the vector kernels of the
    /// active variant round it.
    ///
    /// - Parameter z: the pre-activation.
    public func derivative(at z: Float) -> Float {
        KernelDispatch.implementation.activation(self, at: z).derivative
    }
}
