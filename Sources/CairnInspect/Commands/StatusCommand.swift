import ArgumentParser
import Cairn
import Foundation

/// `cairn status`: where the store is and how much it holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the store is, its schema version, what it holds and its size on disk.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let store = try LocalStore.open(options)
        let artifactsFolder = LocalStoreFiles.artifactsFolder(in: store.home)
        let report = StatusReport(
            path: store.home.path, metadataPath: store.metadata.path, artifactsPath: artifactsFolder.path,
            schemaVersion: try await store.metadata.schemaVersion(), counts: try await store.metadata.counts(),
            metadataBytes: ["", "-wal", "-shm"].reduce(0) { $0 + DiskUsage.fileSize(store.metadata.path + $1) },
            artifactBytes: DiskUsage.folderSize(artifactsFolder))
        if options.json {
            try console.json(report)
        } else {
            console.writeOutput(report.render(color: console.usesColor))
        }
    }
}

/// What `cairn status` shows.
struct StatusReport: Encodable {
    var path: String
    var metadataPath: String
    var artifactsPath: String
    var schemaVersion: String
    var counts: StoreCounts
    var metadataBytes: Int64
    var artifactBytes: Int64

    func render(color: Bool) -> String {
        var fields = Fields()
        fields.append("Store", path, .bold)
        fields.append("Metadata", "\(metadataPath) (schema \(schemaVersion))")
        fields.append("Artifacts", artifactsPath)
        fields.append("Pipelines", Format.count(counts.pipelines))
        fields.append("Runs", Format.count(counts.runs))
        fields.append("Step runs", Format.count(counts.stepRuns))
        fields.append(
            "Artifact versions", "\(Format.count(counts.artifactVersions)) of \(Format.count(counts.artifacts)) artifact\(counts.artifacts == 1 ? "" : "s")")
        fields.append(
            "Size on disk",
            "\(Format.bytes(metadataBytes + artifactBytes)) (metadata \(Format.bytes(metadataBytes)), artifacts \(Format.bytes(artifactBytes)))")
        return fields.render(color: color)
    }
}
