/// Errors of the quickstart's own steps.
enum QuickstartError: Error, CustomStringConvertible {
    case unknownDataset(String)
    case noEvaluations

    var description: String {
        switch self {
        case .unknownDataset(let name): "no dataset named '\(name)' is shipped with the quickstart; try 'iris'"
        case .noEvaluations: "there are no evaluations to choose from"
        }
    }
}
