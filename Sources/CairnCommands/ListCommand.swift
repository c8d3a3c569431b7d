import ArgumentParser
import Cairn
import CairnCore

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Lists the pipelines and their parameters.")

    func run() async throws {
        for pipeline in CommandEnvironment.pipelines {
            let parameters = try pipeline.defaultParameters.objectValue ?? [:]
            let shown = parameters.keys.sorted().map { "\($0)=\(CanonicalJSON.string(encoding: parameters[$0]!))" }
            print(([pipeline.name] + shown).joined(separator: "  "))
        }
    }
}
