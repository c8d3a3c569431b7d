/// Errors of the quickstart's own steps.
enum QuickstartError: Error, CustomStringConvertible {
    case unknownDataset(String)
    case noEvaluations
    case invalidSplit(testFraction: Double, seed: Int)

    var description: String {
        switch self {
        case .unknownDataset(let name): "no dataset named '\(name)' is shipped with the quickstart; try 'iris'"
        case .noEvaluations: "there are no evaluations to choose from"
        case .invalidSplit(let testFraction, let seed):
            "cannot split with testFraction \(testFraction) and seed \(seed): the fraction must be between 0 and 1, both excluded, and the seed 0 or more"
        }
    }
}
