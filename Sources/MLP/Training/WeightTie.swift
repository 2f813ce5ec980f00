/// Two layers whose weights are one matrix: the decoder's weights are the
/// transpose of the encoder's, as in a tied autoencoder.
public struct WeightTie: Sendable, Hashable {
    /// The layer whose weights are stored, (m × n).
    public let encoder: Int
    /// The layer whose weights are the encoder's transpose, (n × m).
    public let decoder: Int
}

extension Trainer {
    /// Ties the weights of layer `decoder` to the transpose of layer
    /// `encoder`'s: they are set to it now, and every update from then on
    /// applies the sum of both gradients, G_e + G_dᵀ, to the one matrix (the
    /// gradient of the loss through both uses). Biases stay separate. A
    /// penalty counts the matrix once per use.
    ///
    /// - Parameters:
    ///   - encoder: the index of the encoder's layer.
    ///   - decoder: the index of the decoder's layer, whose weights become the encoder's transposed.
    /// - Throws: ``TrainingError/invalidTie(_:)`` when a layer does not exist,
    ///   is already tied, has maxout units, or the shapes are not transposes.
    public func tieWeights(encoder: Int, decoder: Int) throws(TrainingError) {
        let shapes = self.shapes
        guard shapes.indices.contains(encoder), shapes.indices.contains(decoder), encoder != decoder else {
            throw .invalidTie("layers \(encoder) and \(decoder) of a \(shapes.count)-layer network")
        }
        guard !ties.contains(where: { [$0.encoder, $0.decoder].contains(encoder) || [$0.encoder, $0.decoder].contains(decoder) }) else {
            throw .invalidTie("layer \(encoder) or \(decoder) is already tied")
        }
        let e = shapes[encoder], d = shapes[decoder]
        guard e.units.piecesPerUnit == 1, d.units.piecesPerUnit == 1 else { throw .invalidTie("maxout layers have one matrix per piece") }
        guard e.inputs == d.columns, e.columns == d.inputs else {
            throw .invalidTie("layer \(encoder) is (\(e.inputs) × \(e.columns)), layer \(decoder) is (\(d.inputs) × \(d.columns)), not its transpose")
        }
        ties.append(WeightTie(encoder: encoder, decoder: decoder))
        store.withUnsafeTensors { copyTiedWeights($0) }
    }

    /// G_e ← G_e + G_dᵀ for every tie, before the update.
    func sumTiedGradients(_ t: TensorMemory) {
        forEachTie(t.g) { encoder, decoder, rows, columns in
            for j in 0..<columns {
                for i in 0..<rows { encoder[i + j * rows] += decoder[j + i * columns] }
            }
        }
    }

    /// W_d ← W_eᵀ for every tie, after the update.
    func copyTiedWeights(_ t: TensorMemory) {
        forEachTie(t.w) { encoder, decoder, rows, columns in
            for j in 0..<columns {
                for i in 0..<rows { decoder[j + i * columns] = encoder[i + j * rows] }
            }
        }
    }

    /// Calls `body` with the encoder's (rows × columns) and the decoder's
    /// (columns × rows) tensors in `buffer` for every tie.
    private func forEachTie(
        _ buffer: UnsafeMutablePointer<Float>,
        _ body: (_ encoder: UnsafeMutablePointer<Float>, _ decoder: UnsafeMutablePointer<Float>, _ rows: Int, _ columns: Int) -> Void
    ) {
        let layout = store.layout
        for tie in ties {
            let shape = shapes[tie.encoder]
            body(buffer + layout.weights[tie.encoder].lowerBound, buffer + layout.weights[tie.decoder].lowerBound, shape.inputs, shape.columns)
        }
    }
}
