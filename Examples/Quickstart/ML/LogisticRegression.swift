import Foundation

/// Multinomial (softmax) logistic regression trained by full-batch gradient descent.
struct LogisticRegression: Codable, Sendable {
    /// One row of feature weights per class.
    var weights: [[Double]]
    /// One bias per class.
    var biases: [Double]
    /// The step size used in training.
    var learningRate: Double
    /// The number of gradient steps taken in training.
    var epochs: Int
    /// The L2 penalty on the weights (not the biases) used in training.
    var l2: Double

    /// Trains on `data`, starting from zero weights, minimising the mean cross-entropy plus `l2 / 2 * |W|²`.
    static func train(on data: Dataset, learningRate: Double, epochs: Int, l2: Double = 0) -> LogisticRegression {
        let classes = data.classNames.count, n = Double(max(data.count, 1))
        var model = LogisticRegression(
            weights: Array(repeating: Array(repeating: 0, count: data.featureCount), count: classes),
            biases: Array(repeating: 0, count: classes), learningRate: learningRate, epochs: epochs, l2: l2)
        for _ in 0..<max(epochs, 0) {
            var weightGradient = model.weights.map { $0.map { l2 * $0 } }
            var biasGradient = [Double](repeating: 0, count: classes)
            for (x, label) in zip(data.features, data.labels) {
                var error = model.probabilities(x)
                error[label] -= 1
                for c in 0..<classes {
                    biasGradient[c] += error[c] / n
                    for (j, value) in x.enumerated() { weightGradient[c][j] += error[c] * value / n }
                }
            }
            for c in 0..<classes {
                model.biases[c] -= learningRate * biasGradient[c]
                for j in model.weights[c].indices { model.weights[c][j] -= learningRate * weightGradient[c][j] }
            }
        }
        return model
    }

    /// The raw class scores `W·x + b`.
    func logits(_ features: [Double]) -> [Double] {
        zip(weights, biases).map { row, bias in zip(row, features).reduce(bias) { $0 + $1.0 * $1.1 } }
    }

    /// The softmax class probabilities, computed after subtracting the largest score so `exp` cannot overflow.
    func probabilities(_ features: [Double]) -> [Double] {
        let scores = logits(features)
        let top = scores.max() ?? 0
        let exps = scores.map { exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// The class with the highest score (the lowest index on ties).
    func predict(_ features: [Double]) -> Int {
        let scores = logits(features)
        return scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) } ?? 0
    }
}
