import Cairn
import Foundation

// The quickstart's steps: plain Swift functions made into steps by @Step.

/// Loads one of the datasets shipped with the quickstart (`iris`).
@Step
func loadDataset(name: String) throws -> Dataset {
    guard let url = Bundle.module.url(forResource: name, withExtension: "csv") else {
        throw QuickstartError.unknownDataset(name)
    }
    return try Dataset.parseCSV(String(contentsOf: url, encoding: .utf8))
}

/// Splits the data into training and test sets with the same class proportions.
///
/// The pipeline's parameters are validated before it runs, but a configuration file can set this
/// step's own (`steps: { split: { parameters: { seed: -1 } } }`): checked here too, so that a bad
/// value fails the step rather than trapping in `UInt64(seed)`.
@Step
func split(data: Dataset, testFraction: Double, seed: Int) throws -> (train: Dataset, test: Dataset) {
    guard seed >= 0, testFraction > 0, testFraction < 1 else {
        throw QuickstartError.invalidSplit(testFraction: testFraction, seed: seed)
    }
    let split = Split.stratified(data, testFraction: testFraction, seed: UInt64(seed))
    return (split.train, split.test)
}

/// Scales every feature to mean 0 and deviation 1, fitted on the training set only.
@Step
func standardise(train: Dataset, test: Dataset) -> (train: Dataset, test: Dataset) {
    let scaler = Standardizer.fit(train)
    return (scaler.transform(train), scaler.transform(test))
}

/// Trains a softmax logistic regression by gradient descent.
@Step
func trainLogistic(data: Dataset, learningRate: Double, epochs: Int) -> Classifier {
    .logistic(LogisticRegression.train(on: data, learningRate: learningRate, epochs: epochs))
}

/// Fits a k-nearest-neighbours classifier.
@Step
func trainNearestNeighbours(data: Dataset, k: Int) -> Classifier {
    .nearestNeighbours(NearestNeighbours.fit(data, k: k))
}

/// Measures a classifier's accuracy on held-out data.
@Step
func evaluate(model: Classifier, data: Dataset) -> Evaluation {
    Evaluation.evaluate(model, on: data)
}

/// Picks the most accurate model; the first one wins a tie.
@Step
func selectBest(evaluations: [Evaluation]) throws -> Evaluation {
    guard let best = evaluations.max(by: { $0.accuracy < $1.accuracy }) else {
        throw QuickstartError.noEvaluations
    }
    return evaluations.first { $0.accuracy == best.accuracy } ?? best
}

/// Writes a short Markdown report of every model's accuracy, and prints it.
@Step
func report(best: Evaluation, evaluations: [Evaluation]) -> String {
    let rows = evaluations.map { "| \($0.model) | \(String(format: "%.3f", $0.accuracy)) |" }
    let text = (["| model | test accuracy |", "|---|---|"] + rows + ["", "Best: \(best.model), accuracy \(String(format: "%.3f", best.accuracy))"])
        .joined(separator: "\n")
    print("\n" + text + "\n")
    return text
}
