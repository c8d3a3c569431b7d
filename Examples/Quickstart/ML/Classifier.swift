/// A trained model of any supported kind.
enum Classifier: Codable, Sendable {
    /// Softmax logistic regression.
    case logistic(LogisticRegression)
    /// k-nearest neighbours.
    case nearestNeighbours(NearestNeighbours)

    /// A short label for reports, such as `logistic(lr=0.1)` or `knn(k=5)`.
    var name: String {
        switch self {
        case .logistic(let model): "logistic(lr=\(model.learningRate))"
        case .nearestNeighbours(let model): "knn(k=\(model.k))"
        }
    }

    /// The predicted class index for one sample.
    func predict(_ features: [Double]) -> Int {
        switch self {
        case .logistic(let model): model.predict(features)
        case .nearestNeighbours(let model): model.predict(features)
        }
    }
}
