import ArgumentParser
import Cairn
import CairnInspection
import Foundation

/// `cairn runs show RUN`: a run with its parameters, steps and outputs.
struct RunsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: its steps with status, duration, cache source and error, its parameters and its outputs.",
        discussion: """
            A run recorded as running whose process is gone shows as abandoned, with its unfinished steps; \
            showing it changes nothing. Resume it to finish it.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The run's name or identifier.")
    var run: String

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let record = try await store.run(run) { "cairn runs show \($0)" }
        let details = try await RunDetails.load(record, from: store.metadata)
        if options.json {
            try console.json(details)
        } else {
            console.writeOutput(details.render(color: console.usesColor, utc: console.showsUTC))
        }
    }
}

/// Everything `cairn runs show` prints about a run.
struct RunDetails: Encodable {
    /// A step run with what the listing adds to it.
    struct Step: Encodable {
        var id: String
        var invocation: String
        var step: String
        var status: ShownStatus
        var startedAt: Date
        var endedAt: Date?
        var durationSeconds: Double?
        var attempt: Int
        var error: String?
        var cachedFrom: StepRunReference?
        var outputs: [Output]
    }

    /// An output artifact version, by its name in the step or pipeline.
    struct Output: Encodable {
        var name: String
        var artifact: String
        var version: Int
        var id: String
        var digest: String
    }

    var id: String
    var name: String
    var pipeline: String
    var status: ShownStatus
    var startedAt: Date
    var endedAt: Date?
    var durationSeconds: Double?
    var host: String
    var processID: Int32
    /// Why it failed; for an abandoned run, that its process stopped.
    var error: String?
    var parameters: [String: JSONValue]
    var steps: [Step]
    var outputs: [Output]

    /// Reads the run's step runs, their outputs and cache sources, and the run's outputs.
    static func load(_ run: RunRecord, from metadata: some MetadataStore) async throws -> RunDetails {
        let status = ShownStatus(of: run)
        let stepRuns = try await metadata.stepRuns(runID: run.id)
        let outputsByStepRun = try await metadata.stepRunOutputs(runID: run.id)
        let sources = try await metadata.stepRunReferences(ids: stepRuns.compactMap(\.cachedFrom))
        let sourceByID = Dictionary(sources.map { ($0.stepRunID, $0) }, uniquingKeysWith: { first, _ in first })
        var steps: [Step] = []
        for stepRun in stepRuns {
            let outputs = outputsByStepRun[stepRun.id] ?? []
            steps.append(Step(
                id: stepRun.id, invocation: stepRun.invocation, step: stepRun.stepName,
                status: ShownStatus(stepRun.status, runIsAbandoned: status == .abandoned),
                startedAt: stepRun.startedAt, endedAt: stepRun.endedAt, durationSeconds: stepRun.duration, attempt: stepRun.attempt,
                error: stepRun.error, cachedFrom: stepRun.cachedFrom.flatMap { sourceByID[$0] },
                outputs: outputs.map { Output(name: $0.name, version: $0.artifact) }))
        }
        let named = run.outputs.sorted { $0.key < $1.key }
        let versions = try await metadata.artifactVersions(ids: named.map(\.value))
        let versionByID = Dictionary(versions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let outputs = named.compactMap { name, id in versionByID[id].map { Output(name: name, version: $0) } }
        // Only the parameters are read, so that a configuration with options this build does not know still shows.
        let configuration = try? CanonicalJSON.decode(RecordedParameters.self, from: run.configuration)
        return RunDetails(
            id: run.id, name: run.name, pipeline: run.pipelineName, status: status, startedAt: run.startedAt,
            endedAt: run.endedAt, durationSeconds: run.endedAt.map { $0.timeIntervalSince(run.startedAt) }, host: run.host,
            processID: run.processID, error: status == .abandoned ? RunWatchdog.reason(ownerGone: RunOwner(of: run)) : run.error, parameters: configuration?.parameters?.objectValue ?? [:], steps: steps,
            outputs: outputs)
    }

    /// The text shown to people.
    func render(color: Bool, utc: Bool) -> String {
        var header = Fields()
        header.append("Run", name, .bold)
        header.append("ID", id)
        header.append("Pipeline", pipeline)
        header.append("Status", status.name, status.style)
        header.append("Started", Format.date(startedAt, utc: utc))
        if let endedAt, let durationSeconds {
            header.append("Ended", "\(Format.date(endedAt, utc: utc)) (\(Format.duration(durationSeconds)))")
        }
        header.append("Host", "\(host), process \(processID)")
        var text = header.render(color: color)

        func section(_ title: String) {
            text += "\n" + (color ? TextStyle.bold.apply(to: title) : title) + "\n"
        }
        section("Parameters")
        if parameters.isEmpty {
            text += "  none\n"
        } else {
            var fields = Fields()
            for key in parameters.keys.sorted() { fields.append(key, CanonicalJSON.string(encoding: parameters[key]!)) }
            text += fields.render(color: color, indent: "  ")
        }

        section("Steps")
        if steps.isEmpty {
            text += "  none recorded\n"
        } else {
            var table = Table(titles: ["STEP", "STATUS", "DURATION", "CACHED FROM", "OUTPUTS"], rightAligned: [2])
            for step in steps {
                let source = step.cachedFrom.map { $0.runName == name ? $0.invocation : "\($0.runName) (\($0.invocation))" }
                let produced = step.outputs.map { "\($0.name) v\($0.version)" }.joined(separator: ", ")
                table.append([
                    Table.Cell(step.invocation + (step.attempt > 1 ? " (attempt \(step.attempt))" : "")),
                    Table.Cell(step.status.name, step.status.style),
                    Table.Cell(step.status == .recorded(.skipped) ? "-" : step.durationSeconds.map(Format.duration) ?? "-"),
                    Table.Cell(source ?? "-"),
                    Table.Cell(produced.isEmpty ? "-" : produced),
                ])
            }
            text += table.render(color: color, indent: "  ")
        }

        let errors = steps.filter { !$0.status.isSuccessful && $0.error != nil }
        // The run's own error, where no step's explains it: it failed before any step ran, or its process is gone.
        let runError = steps.isEmpty || status == .abandoned ? error : nil
        if !errors.isEmpty || runError != nil {
            section("Errors")
            for step in errors {
                let message = (step.error ?? "").split(separator: "\n", omittingEmptySubsequences: false)
                    .joined(separator: "\n    ")
                text += "  \(color ? step.status.style.apply(to: step.invocation) : step.invocation): \(message)\n"
            }
            if let runError { text += "  \(runError)\n" }
        }

        section("Outputs")
        if outputs.isEmpty {
            text += status.isFinished ? "  none\n" : "  none yet\n"
        } else {
            var fields = Fields()
            for output in outputs { fields.append(output.name, "\(output.artifact):\(output.version)") }
            text += fields.render(color: color, indent: "  ")
        }
        return text
    }
}

extension RunDetails.Output {
    /// The output `name` of an artifact version.
    init(name: String, version: ArtifactVersionRecord) {
        self.init(name: name, artifact: version.name, version: version.version, id: version.id, digest: version.digest)
    }
}

/// The parameters of a recorded ``RunConfiguration``.
private struct RecordedParameters: Decodable {
    var parameters: JSONValue?
}
