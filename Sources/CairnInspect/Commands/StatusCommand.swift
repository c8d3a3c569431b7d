import ArgumentParser
import Cairn
import Foundation

/// `cairn status`: where the store is and how much it holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the stack's stores, their schema version, what they hold and their size.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let configuration = store.configuration
        let report = StatusReport(
            stack: configuration.name, metadataStore: configuration.metadataStore.summary, artifactStore: configuration.artifactStore.summary,
            schemaVersion: try await store.metadata.schemaVersion(), counts: try await store.metadata.counts(),
            metadataBytes: try await store.metadata.storedBytes(),
            artifactBytes: try await store.artifacts.objects().reduce(0) { $0 + $1.size })
        if options.json {
            try console.json(report)
        } else {
            console.writeOutput(report.render(color: console.usesColor))
        }
    }
}

/// What `cairn status` shows.
struct StatusReport: Encodable {
    var stack: String
    var metadataStore: String
    var artifactStore: String
    var schemaVersion: String
    var counts: StoreCounts
    var metadataBytes: Int64
    var artifactBytes: Int64

    func render(color: Bool) -> String {
        var fields = Fields()
        fields.append("Stack", stack, .bold)
        fields.append("Metadata", "\(metadataStore) (schema \(schemaVersion))")
        fields.append("Artifacts", artifactStore)
        fields.append("Pipelines", Format.count(counts.pipelines))
        fields.append("Runs", Format.count(counts.runs))
        fields.append("Step runs", Format.count(counts.stepRuns))
        fields.append(
            "Artifact versions", "\(Format.count(counts.artifactVersions)) of \(Format.count(counts.artifacts)) artifact\(counts.artifacts == 1 ? "" : "s")")
        fields.append(
            "Size",
            "\(Format.bytes(metadataBytes + artifactBytes)) (metadata \(Format.bytes(metadataBytes)), artifacts \(Format.bytes(artifactBytes)))")
        return fields.render(color: color)
    }
}
