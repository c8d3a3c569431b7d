/// A training set and a held-out test set drawn from the same data.
struct Split: Codable, Sendable {
    /// The samples to learn from.
    var train: Dataset
    /// The samples to measure on.
    var test: Dataset

    /// Splits `data` so that each class contributes `round(classCount * testFraction)` samples to the test set.
    ///
    /// Each class's indices are shuffled with a Fisher–Yates shuffle driven by a ``SeededGenerator``,
    /// so the split depends only on the data and `seed`. Both halves keep the original row order.
    static func stratified(_ data: Dataset, testFraction: Double, seed: UInt64) -> Split {
        let fraction = min(max(testFraction, 0), 1)
        var generator = SeededGenerator(seed: seed)
        var trainIndices: [Int] = [], testIndices: [Int] = []
        for label in data.classNames.indices {
            var indices = data.labels.indices.filter { data.labels[$0] == label }
            for i in stride(from: indices.count - 1, to: 0, by: -1) {
                indices.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
            let testCount = Int((Double(indices.count) * fraction).rounded())
            testIndices += indices.prefix(testCount)
            trainIndices += indices.dropFirst(testCount)
        }
        return Split(train: data.subset(trainIndices.sorted()), test: data.subset(testIndices.sorted()))
    }
}
