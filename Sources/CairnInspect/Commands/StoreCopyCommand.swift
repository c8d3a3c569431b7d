import ArgumentParser
import Cairn
import Foundation

/// `cairn store copy --from STACK --to STACK`: moves a history into another stack's stores, so that
/// a user who outgrows the local store keeps it.
struct StoreCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every run, with its steps, artifacts, lineage, logs and metadata, from one stack into another.",
        discussion: """
            Identifiers, run names, artifact version numbers and dates are kept, so that every cairn command \
            answers the same on the copy; the bytes of artifacts, logs and visualizations are copied between \
            the artifact stores, checked against their digests. Each run is copied whole or not at all, and \
            what the destination holds already is skipped: copying again copies nothing twice, and finishes \
            an interrupted copy. Runs still running are skipped until they have ended. A run name or an \
            artifact version number that the destination uses for something else stops the copy, with an \
            error that names it.
            """)

    @Option(help: ArgumentHelp("The stack to copy from.", valueName: "stack"))
    var from: String

    @Option(help: ArgumentHelp("The stack to copy into; its stores are created if they do not exist yet.", valueName: "stack"))
    var to: String

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "The local stack's folder, when --from or --to is local. Default: $CAIRN_HOME, else the nearest .cairn folder here or above.",
            valueName: "path"))
    var store: String?

    @Flag(help: "Print JSON for scripts instead of a summary.")
    var json = false

    func validate() throws {
        guard from != to else { throw ValidationError("--from and --to both name stack '\(from)': there is nothing to copy.") }
        if store != nil, ![from, to].contains(StackConfiguration.localName) {
            throw ValidationError("--store names the local stack's folder, and neither --from nor --to is '\(StackConfiguration.localName)'.")
        }
    }

    func run() async throws {
        let console = Console.current
        let source = try stack(named: from)
        let destination = try stack(named: to)
        guard source.metadataStore != destination.metadataStore else {
            throw CommandError(
                "stacks '\(from)' and '\(to)' record into the same metadata store (\(source.metadataStore.summary)): there is nothing to copy")
        }
        let sourceStack = try await Stack.open(source, creating: false)
        let destinationStack = try await Stack.open(destination)
        StoreRetention.current?.retain(sourceStack.metadata)
        StoreRetention.current?.retain(destinationStack.metadata)
        let report = try await sourceStack.copyHistory(to: destinationStack)
        if json {
            try console.json(report)
        } else {
            console.writeOutput(report.render())
        }
    }

    /// The stack `name` names: the local one in the folder --store names, or one of the stack file.
    private func stack(named name: String) throws -> StackConfiguration {
        try StackSelection.resolve(name: name, store: name == StackConfiguration.localName ? store : nil)
    }
}

extension HistoryCopyReport {
    /// The summary people read.
    func render() -> String {
        func count(_ value: Int, _ noun: String) -> String {
            "\(Format.count(value)) \(noun)\(value == 1 ? "" : "s")"
        }
        var text = "Copied \(count(copiedRuns.count, "run")), \(count(copiedArtifactVersionCount, "artifact version")) and "
            + "\(count(copiedObjectCount, "object")) (\(Format.bytes(copiedBytes))) from stack '\(source)' to stack '\(destination)'.\n"
        let present = [(presentRunCount, "run"), (presentObjectCount, "object")].filter { $0.0 > 0 }.map { count($0.0, $0.1) }
        if !present.isEmpty {
            text += "Already in stack '\(destination)': \(present.joined(separator: " and ")).\n"
        }
        if !skippedRuns.isEmpty {
            text += "Skipped \(count(skippedRuns.count, "run")):\n" + skippedRuns.map { "  \($0.name): \($0.reason)\n" }.joined()
        }
        if !missingObjects.isEmpty {
            text += "\(count(missingObjects.count, "object")) could not be read from stack '\(source)'; "
                + "the artifact versions stored in them are marked unusable in stack '\(destination)':\n"
                + missingObjects.map { "  \(Format.shortDigest($0.digest)): \($0.problem)\n" }.joined()
        }
        return text
    }
}
