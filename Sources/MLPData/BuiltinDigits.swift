/// The built-in dataset: Optical Recognition of Handwritten Digits (E.
/// Alpaydin, C. Kaynak, 1998; UCI Machine Learning Repository, CC BY 4.0):
/// 8 × 8 images with pixel values 0…16, classes 0…9, split 1347 / 450
/// (stratified, fixed). The same rows as `Data/digits/*.csv`.
public enum BuiltinDigits {
    /// The two parts of the split.
    public enum Split: String, Sendable {
        /// The 1 347 training rows.
        case train
        /// The 450 test rows.
        case test
    }

    /// The rows of `split`: 64 features, labels `0`…`9`.
    ///
    /// - Parameter split: the training or the test rows.
    public static func table(_ split: Split) -> LabelledTable {
        let text = split == .train ? BuiltinDigitsText.train : BuiltinDigitsText.test
        let reader = CSVReader(name: "built-in digits (\(split.rawValue))", text: text, options: CSVOptions(delimiter: ",", header: false, labelColumn: .last))
        do {
            return try reader.read()
        } catch {
            preconditionFailure("the built-in digits do not parse: \(error)")
        }
    }
}
