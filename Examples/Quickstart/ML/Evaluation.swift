/// How well a classifier did on a labelled data set.
struct Evaluation: Codable, Sendable {
    /// The classifier's ``Classifier/name``.
    var model: String
    /// The fraction of samples predicted correctly (0 for an empty set).
    var accuracy: Double
    /// `confusion[actual][predicted]` counts, one row and column per class.
    var confusion: [[Int]]

    /// Predicts every sample in `data` and tallies the results.
    static func evaluate(_ classifier: Classifier, on data: Dataset) -> Evaluation {
        let classes = data.classNames.count
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (x, actual) in zip(data.features, data.labels) {
            let predicted = classifier.predict(x)
            if confusion.indices.contains(actual), confusion[actual].indices.contains(predicted) {
                confusion[actual][predicted] += 1
            }
        }
        let correct = (0..<classes).reduce(0) { $0 + confusion[$1][$1] }
        return Evaluation(model: classifier.name, accuracy: data.count > 0 ? Double(correct) / Double(data.count) : 0,
                          confusion: confusion)
    }
}
