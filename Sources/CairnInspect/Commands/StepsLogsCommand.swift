import ArgumentParser
import Cairn
import Foundation

/// `cairn steps logs RUN STEP`: what a step printed while it ran.
struct StepsLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the logs a step wrote while it ran.",
        discussion: "With several attempts of the step in the run, the latest one's.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Argument(help: "The step's invocation name in the run (for example train_2).")
    var step: String

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let record = try await store.run(run) { "cairn steps logs \($0) \(step)" }
        let stepRun = try await store.stepRun(step, of: record) { "cairn steps logs \(record.name) \($0)" }
        guard let digest = stepRun.logDigest else {
            throw CommandError(
                "no logs were captured for step '\(stepRun.invocation)' of run '\(record.name)'",
                hint: "It logged nothing, or its logs were switched off (enableStepLogs); its status and error are in: cairn runs show \(record.name)")
        }
        let text = try await store.artifacts.load(digest) { String(decoding: try $0.readToEnd(), as: UTF8.self) }
        if options.json {
            try console.json(["run": record.name, "step": stepRun.invocation, "logs": text])
        } else {
            console.writeOutput(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
        }
    }
}
