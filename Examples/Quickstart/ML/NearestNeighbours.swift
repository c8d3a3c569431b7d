/// A k-nearest-neighbours classifier using Euclidean distance and a majority vote.
struct NearestNeighbours: Codable, Sendable {
    /// The stored training samples.
    var training: Dataset
    /// How many neighbours vote.
    var k: Int

    /// Remembers `data` for later look-ups; `k` is clamped to at least 1.
    static func fit(_ data: Dataset, k: Int) -> NearestNeighbours {
        NearestNeighbours(training: data, k: max(k, 1))
    }

    /// The majority class among the `k` nearest training samples; a tied vote goes to the tied class
    /// of the nearest neighbour. Returns 0 when there is no training data.
    func predict(_ features: [Double]) -> Int {
        let distances = training.features.map { row in zip(row, features).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let nearest = distances.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(k).map { training.labels[$0] }
        var votes: [Int: Int] = [:]
        for label in nearest { votes[label, default: 0] += 1 }
        let best = votes.values.max() ?? 0
        return nearest.first { votes[$0] == best } ?? 0
    }
}
