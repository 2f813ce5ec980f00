import Kernels
import MLP
import MLPData

// The built-in UCI digits; CSVReader(path:).read() reads your own file the same way.
let train = BuiltinDigits.table(.train), test = BuiltinDigits.table(.test)
print(train.layout!.summary)  // the decisions: delimiter, header, label column, features
let classes = try train.classes()  // ["0", …, "9"]; refuses a continuous-looking label
let normalization = Normalization(fitting: train.features)
let x = try normalization.apply(to: train.features), xTest = try normalization.apply(to: test.features)

let network = try Network(inputs: 64, layers: [LayerSpec(128, .activation(.relu)), LayerSpec(10, .softmax)], seed: 1)
let trainer = try Trainer(network: network, loss: .softmaxCrossEntropy, optimizer: .adam(learningRate: 0.003))
try trainer.fit(Dataset(inputs: x, targets: train.oneHot(classes: classes)), options: TrainingOptions(epochs: 20, batchSize: 32))

let probabilities = try trainer.network.predict(xTest)  // (450 × 10)
let result = try trainer.network.evaluate(xTest, targets: test.oneHot(classes: classes), loss: .softmaxCrossEntropy)
print("test accuracy \(result.accuracy!), first sample's class \(classes[try trainer.network.predictClasses(xTest)[0]])")
try trainer.modelFile(normalization: normalization).write(to: "digits.mlp")  // atomic; resumable
_ = probabilities
