import ArgumentParser
import Cairn

/// `cairn runs delete RUN`: deletes a run's records.
struct RunsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a run, its step runs and the artifact versions only it uses.",
        discussion: """
            Artifact versions the run produced are deleted unless a step of another run reads them \
            or reuses them from the cache; those stay. Their bytes stay in the artifact folder until \
            `cairn artifact prune` removes what no artifact version references.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The run's name or identifier.")
    var run: String

    @Flag(name: [.customShort("y"), .long], help: "Delete without asking.")
    var yes = false

    @Flag(help: "Delete a run recorded as running whose process is gone; a run whose process is alive is never deleted.")
    var force = false

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let record = try await store.run(run) { "cairn runs delete \($0)" }
        if !record.status.isFinished {
            let running = "run '\(record.name)' is \(record.status.rawValue) (process \(record.processID) on \(record.host))"
            guard force else {
                throw CommandError(running, hint: "Wait for it to finish. If its process is gone, delete it with: cairn runs delete \(record.name) --force")
            }
            guard RunWatchdog.isAbandoned(record) else {
                throw CommandError(
                    running + ", and that process is alive",
                    hint: "Stop the process first, or wait for it to finish; --force deletes only runs whose process is gone.")
            }
        }
        if !yes {
            guard console.isInteractive else {
                throw CommandError(
                    "deleting run '\(record.name)' needs a confirmation", hint: "Add --yes: cairn runs delete \(record.name) --yes")
            }
            guard console.confirm("Delete run '\(record.name)' of pipeline '\(record.pipelineName)'?") else {
                console.line("Nothing deleted.")
                return
            }
        }
        let deletion = try await store.metadata.deleteRun(id: record.id)
        if options.json {
            try console.json(deletion)
            return
        }
        let versions = deletion.deletedArtifactVersions
        console.line(
            "Deleted run '\(record.name)': \(deletion.deletedStepRunCount) step run\(deletion.deletedStepRunCount == 1 ? "" : "s"), "
                + "\(versions.count) artifact version\(versions.count == 1 ? "" : "s").")
        let kept = deletion.keptArtifactVersions
        if !kept.isEmpty {
            console.line(
                "Kept \(kept.count) artifact version\(kept.count == 1 ? "" : "s") that other runs use: "
                    + kept.map { "\($0.name):\($0.version)" }.joined(separator: ", ") + ".")
        }
        if !versions.isEmpty {
            console.line("Their bytes stay in the artifact folder until: cairn artifact prune")
        }
    }
}
