/// Rescales each feature to zero mean and unit variance, using statistics learned from training data.
struct Standardizer: Codable, Sendable {
    /// The mean of each feature in the fitted data.
    var means: [Double]
    /// The population standard deviation of each feature; constant features get 1 so they pass through unscaled.
    var deviations: [Double]

    /// Learns each feature's mean and population standard deviation from `data`.
    static func fit(_ data: Dataset) -> Standardizer {
        let n = Double(max(data.count, 1))
        var means = [Double](repeating: 0, count: data.featureCount)
        var deviations = means
        for row in data.features { for (j, x) in row.enumerated() { means[j] += x / n } }
        for row in data.features { for (j, x) in row.enumerated() { deviations[j] += (x - means[j]) * (x - means[j]) / n } }
        deviations = deviations.map { $0 > 0 ? $0.squareRoot() : 1 }
        return Standardizer(means: means, deviations: deviations)
    }

    /// Returns the features of `data` rescaled with the fitted statistics; labels are unchanged.
    func transform(_ data: Dataset) -> Dataset {
        var result = data
        result.features = data.features.map(transform)
        return result
    }

    /// Rescales one sample's features with the fitted statistics.
    func transform(_ features: [Double]) -> [Double] {
        zip(features, zip(means, deviations)).map { x, stats in (x - stats.0) / stats.1 }
    }
}
