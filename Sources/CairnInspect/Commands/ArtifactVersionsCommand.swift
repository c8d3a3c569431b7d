import ArgumentParser
import Cairn

/// `cairn artifact versions NAME`: every version of an artifact, with its producer.
struct ArtifactVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "List the versions of an artifact, with the run and step that produced each.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The artifact's name.")
    var name: String

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let versions = try await store.metadata.artifactVersions(named: name)
        guard !versions.isEmpty else {
            // Reuse the resolution of `show` for its error, which suggests the closest name.
            _ = try await store.artifactVersion(name) { "cairn artifact versions \($0)" }
            throw CommandError("artifact '\(name)' has no versions")
        }
        let producers = try await store.metadata.stepRunReferences(ids: versions.compactMap(\.producerStepRunID))
        let producerByID = Dictionary(producers.map { ($0.stepRunID, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = versions.map { ArtifactVersionRow(version: $0, producer: $0.producerStepRunID.flatMap { producerByID[$0] }) }
        if options.json {
            try console.json(rows)
        } else {
            console.writeOutput(ArtifactVersionRow.table(rows, utc: console.showsUTC).render(color: console.usesColor))
        }
    }
}

/// A line of `cairn artifact versions`.
struct ArtifactVersionRow: Encodable {
    var version: ArtifactVersionRecord
    var producer: StepRunReference?

    static func table(_ rows: [ArtifactVersionRow], utc: Bool) -> Table {
        var table = Table(titles: ["VERSION", "CREATED", "SIZE", "DIGEST", "RUN", "STEP"], rightAligned: [0, 2])
        for row in rows {
            table.append([
                Table.Cell("\(row.version.version)"), Table.Cell(Format.date(row.version.createdAt, utc: utc)),
                Table.Cell(Format.bytes(row.version.size)), Table.Cell(Format.shortDigest(row.version.digest)),
                Table.Cell(row.producer?.runName ?? "-"), Table.Cell(row.producer?.invocation ?? "-"),
            ])
        }
        return table
    }
}
