import Cairn

/// The quickstart's parameters; each can be set with `--param name=value`.
struct QuickstartParameters: Codable, Sendable {
    var dataset = "iris"
    var testFraction = 0.25
    var seed = 42
    var learningRates = [0.05, 0.5]
    var epochs = 300
    var neighbours = 7
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
