import Cairn

/// The quickstart's parameters; each can be set with `--param name=value`, and each is checked
/// before any step runs.
struct QuickstartParameters: ValidatableParameters {
    var dataset = "iris"
    var testFraction = 0.25
    var seed = 42
    var learningRates = [0.05, 0.5]
    var epochs = 300
    var neighbours = 7

    /// The datasets shipped with the quickstart.
    static let datasets = ["iris"]

    func validate() throws {
        guard Self.datasets.contains(dataset) else {
            throw ParameterProblem("dataset must be one of \(Self.datasets.joined(separator: ", ")), found '\(dataset)'")
        }
        // Written so that NaN fails too: every comparison with NaN is false.
        guard testFraction > 0, testFraction < 1 else {
            throw ParameterProblem("testFraction must be between 0 and 1, both excluded, found \(testFraction)")
        }
        guard seed >= 0 else { throw ParameterProblem("seed must be 0 or more, found \(seed)") }
        guard epochs > 0 else { throw ParameterProblem("epochs must be 1 or more, found \(epochs)") }
        guard neighbours >= 1 else { throw ParameterProblem("neighbours must be 1 or more, found \(neighbours)") }
        guard !learningRates.isEmpty, learningRates.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw ParameterProblem("learningRates must hold at least one rate, each above 0 and finite, found \(learningRates)")
        }
    }
}

/// Load → stratified split → standardise → train several models in parallel → evaluate each →
/// select the best → report.
let irisTraining = Pipeline("iris_training", parameters: QuickstartParameters()) { parameters in
    let data = loadDatasetStep(name: parameters.dataset)
    let split = splitStep(data: data, testFraction: parameters.testFraction, seed: parameters.seed)
    let scaled = standardiseStep(train: split.train, test: split.test)
    var evaluations: [Handle<Evaluation>] = []
    for rate: Double in parameters.learningRates {
        let model = trainLogisticStep(data: scaled.train, learningRate: .constant(rate), epochs: parameters.epochs)
        evaluations.append(evaluateStep(model: model, data: scaled.test))
    }
    let neighbours = trainNearestNeighboursStep(data: scaled.train, k: parameters.neighbours)
    evaluations.append(evaluateStep(model: neighbours, data: scaled.test))
    let best = selectBestStep(evaluations: .gathering(evaluations))
    let summary = reportStep(best: best, evaluations: .gathering(evaluations))
    return ["best": best, "report": summary]
}
