import ArgumentParser
import Cairn
import Foundation

/// `cairn artifact show NAME[:VERSION]`: an artifact version's metadata, lineage and bytes.
struct ArtifactShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an artifact version: its metadata, the step run that produced it, those that read it, and where its bytes are.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The artifact: NAME (the latest version), NAME:VERSION, or a version's identifier.", valueName: "artifact"))
    var artifact: String

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let version = try await store.artifactVersion(artifact) { "cairn artifact show \($0)" }
        let artifacts = store.artifacts
        let details = ArtifactDetails(
            version: version,
            latestVersion: try await store.metadata.artifactVersion(named: version.name, version: nil)?.version ?? version.version,
            producer: try await store.metadata.stepRunReferences(ids: version.producerStepRunID.map { [$0] } ?? []).first,
            consumers: try await store.metadata.consumers(ofArtifactVersion: version.id),
            location: artifacts.location(of: version.digest), isStored: try await artifacts.contains(version.digest))
        if options.json {
            try console.json(details)
        } else {
            console.writeOutput(details.render(color: console.usesColor, utc: console.showsUTC))
        }
    }
}

/// What `cairn artifact show` prints.
struct ArtifactDetails: Encodable {
    var version: ArtifactVersionRecord
    var latestVersion: Int
    var producer: StepRunReference?
    var consumers: [StepRunReference]
    /// Where the bytes are (a path, for the local artifact folder).
    var location: String
    /// Whether the bytes are there.
    var isStored: Bool

    func render(color: Bool, utc: Bool) -> String {
        var fields = Fields()
        fields.append("Artifact", version.name, .bold)
        fields.append("Version", "\(version.version) of \(latestVersion)")
        fields.append("ID", version.id)
        fields.append("Type", version.typeName)
        fields.append("Serializer", "\(version.serializer) (format \(version.serializerVersion))")
        fields.append("Size", version.size < 1024 ? Format.bytes(version.size) : "\(Format.bytes(version.size)) (\(version.size) bytes)")
        fields.append("Digest", "sha256:\(version.digest)")
        fields.append("Created", Format.date(version.createdAt, utc: utc))
        fields.append("Stored at", location + (isStored ? "" : " (missing: the bytes are gone)"), isStored ? nil : .red)
        if let reason = version.unusableReason {
            fields.append("Unusable", "\(reason); the next run recomputes it", .red)
        }
        if let producer {
            fields.append("Produced by", "run '\(producer.runName)', step '\(producer.invocation)'" + (version.outputName.map { ", output '\($0)'" } ?? ""))
        } else {
            fields.append("Produced by", version.producerStepRunID == nil ? "no recorded step run (its run was deleted)" : "step run \(version.producerStepRunID!)")
        }
        var text = fields.render(color: color)
        text += "\n" + (color ? TextStyle.bold.apply(to: "Read by") : "Read by") + "\n"
        if consumers.isEmpty {
            text += "  no step run\n"
        } else {
            var table = Table(titles: ["RUN", "STEP", "STATUS"])
            for consumer in consumers {
                table.append([Table.Cell(consumer.runName), Table.Cell(consumer.invocation), Table.Cell(consumer.status.rawValue, .of(consumer.status))])
            }
            text += table.render(color: color, indent: "  ")
        }
        return text
    }
}
