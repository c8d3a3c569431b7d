import Cairn
import CairnCommands
import Foundation

// The README's examples, whole: each line of a README example (but the `…` placeholders) is a line
// of one of these files, which the build compiles and the tests run (ReadmeTests).

struct Dataset: Codable, Sendable { var rows: [[Double]]; var labels: [Int] }
struct Model: Codable, Sendable { var weights: [Double] }

/// Reads a CSV file of numbers whose last column is an integer label.
func readCSV(_ path: String) throws -> Dataset {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
    let fields = lines.map { $0.split(separator: ",").compactMap { Double($0) } }
    return Dataset(rows: fields.map { Array($0.dropLast()) }, labels: fields.map { Int($0.last ?? 0) })
}

@Step func load(path: String) throws -> Dataset { try readCSV(path) }
@Step func split(data: Dataset, testFraction: Double) -> (train: Dataset, test: Dataset) {
    let cut = data.rows.count - Int(Double(data.rows.count) * testFraction)
    return (
        Dataset(rows: Array(data.rows[..<cut]), labels: Array(data.labels[..<cut])),
        Dataset(rows: Array(data.rows[cut...]), labels: Array(data.labels[cut...])))
}
@Step(output: "model") func train(data: Dataset, learningRate: Double = 0.1) -> Model {
    Model(weights: [learningRate * Double(data.labels.reduce(0, +))])
}
@Step(output: "accuracy") func evaluate(model: Model, data: Dataset) -> Double {
    data.rows.isEmpty ? 0 : min(1, (model.weights.first ?? 0) / Double(data.rows.count))
}

struct Parameters: Codable, Sendable { var learningRate = 0.1; var data = "data.csv" }

let training = Pipeline("training", parameters: Parameters()) { parameters in
    let data = loadStep(path: parameters.data)                     // a Handle<Dataset>
    let (train, test) = splitStep(data: data, testFraction: 0.25)  // two named outputs
    let fast = trainStep(data: train, learningRate: 0.5)           // invocation "train"
    let slow = trainStep(data: train, learningRate: parameters.learningRate)  // "train_2", in parallel
    return ["fast": evaluateStep(model: fast, data: test), "slow": evaluateStep(model: slow, data: test)]
}

/// The README's pipeline executable.
public func trainingExecutable() async {
    await CairnCLI.main(pipelines: [training])   // `list`, `run training --param learningRate=0.05`, `step run …`
}
