import Kernels

/// One fully connected layer: z = x·W + b, a = units(z).
///
/// With samples as rows, x is (batch × inputs), W is (inputs × columns) and b is
/// (1 × columns), where columns = outputs × pieces (pieces > 1 only for maxout).
/// Column j of W holds the incoming weights of unit j, so W's memory is exactly
/// PyTorch's `Linear.weight` (outputs × inputs, row-major).
public struct DenseLayer: Sendable, Equatable {
    /// The (inputs × columns) weights.
    public var weights: Matrix
    /// The (1 × columns) biases, or `nil` for a layer without bias.
    public var bias: Matrix?
    /// What the units compute.
    public var units: Units

    /// Inputs per sample.
    public var inputs: Int { weights.rows }
    /// Output units.
    public var outputs: Int { weights.columns / units.piecesPerUnit }

    /// A layer with the given parameters.
    ///
    /// - Parameters:
    ///   - weights: the (inputs × columns) weights, columns = outputs × pieces (pieces > 1 only for maxout).
    ///   - bias: the (1 × columns) bias, or `nil` for none.
    ///   - units: the units, which decide the pieces per output.
    /// - Throws: ``ArgumentError`` when `weights` has no rows or columns, its
    ///   columns are not a whole number of `units`, or `bias` is not (1 × columns).
    public init(weights: Matrix, bias: Matrix?, units: Units) throws(ArgumentError) {
        try check(
            weights.rows >= 1 && weights.columns >= 1, "DenseLayer", "weights \(weights.shapeDescription) must have a row and a column")
        try check(
            weights.columns % units.piecesPerUnit == 0, "DenseLayer",
            "weights \(weights.shapeDescription): \(weights.columns) columns are not a whole number of \(units) units")
        if let bias {
            try check(
                bias.rows == 1 && bias.columns == weights.columns, "DenseLayer",
                "bias is \(bias.shapeDescription), the weights \(weights.shapeDescription) need (1 × \(weights.columns))")
        }
        self.init(checkedWeights: weights, bias: bias, units: units)
    }

    /// A layer whose shapes the caller has checked (a layer the library built).
    init(checkedWeights weights: Matrix, bias: Matrix?, units: Units) {
        self.weights = weights
        self.bias = bias
        self.units = units
    }
}

/// The architecture of one layer, before its parameters exist.
public struct LayerSpec: Sendable, Hashable {
    /// Output units.
    public var outputs: Int
    /// What the units compute.
    public var units: Units
    /// Whether the layer has biases.
    public var hasBias: Bool
    /// How the weights are drawn; `nil` chooses by the units (``WeightInitialization/default(for:)``).
    public var initialization: WeightInitialization?
    /// The initial value of every bias (e.g. 0.01 for ReLU units).
    public var initialBias: Float

    /// Describes a layer; every argument but `outputs` has a default.
    ///
    /// - Parameters:
    ///   - outputs: the layer's outputs.
    ///   - units: the units.
    ///   - hasBias: whether the layer has a bias.
    ///   - initialization: the weights' initialization; `nil` picks the units' usual one.
    ///   - initialBias: the bias's initial value.
    public init(
        _ outputs: Int, _ units: Units = .activation(.relu), hasBias: Bool = true,
        initialization: WeightInitialization? = nil, initialBias: Float = 0
    ) {
        self.outputs = outputs
        self.units = units
        self.hasBias = hasBias
        self.initialization = initialization
        self.initialBias = initialBias
    }
}
