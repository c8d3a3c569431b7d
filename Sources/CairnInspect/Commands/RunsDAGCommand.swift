import ArgumentParser
import Cairn
import CairnInspection

/// `cairn runs dag RUN`: the run's graph with step statuses.
struct RunsDAGCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag", abstract: "Draw a run's graph with the status of each step.",
        discussion: """
            text lists the steps in running order with what each waits for; dot is for Graphviz \
            (cairn runs dag RUN --format dot | dot -Tsvg > run.svg); mermaid is for Markdown.
            """)

    /// The drawing formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, dot, mermaid
    }

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Option(help: "The drawing: text, dot or mermaid.")
    var format: Format = .text

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let record = try await store.run(run) { "cairn runs dag \($0)" + (format == .text ? "" : " --format \(format.rawValue)") }
        let graph = RunGraph(run: record, stepRuns: try await store.metadata.stepRuns(runID: record.id))
        if options.json {
            try console.json(graph)
            return
        }
        switch format {
        case .text: console.writeOutput(graph.text(color: console.usesColor))
        case .dot: console.writeOutput(graph.dot())
        case .mermaid: console.writeOutput(graph.mermaid())
        }
    }
}
