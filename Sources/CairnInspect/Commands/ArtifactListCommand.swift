import ArgumentParser
import Cairn

/// `cairn artifact list`: every artifact with its latest version.
struct ArtifactListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the artifacts, with their number of versions and their latest version.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let artifacts = try await store.metadata.artifacts()
        if options.json {
            try console.json(artifacts)
        } else if artifacts.isEmpty {
            console.line("No artifacts yet. Every step output becomes one when a run records it.")
        } else {
            console.writeOutput(Self.table(artifacts, utc: console.showsUTC).render(color: console.usesColor))
        }
    }

    static func table(_ artifacts: [ArtifactSummary], utc: Bool) -> Table {
        var table = Table(titles: ["ARTIFACT", "VERSIONS", "LATEST", "TYPE", "SIZE", "CREATED"], rightAligned: [1, 2, 4])
        for artifact in artifacts {
            table.append([
                Table.Cell(artifact.name), Table.Cell("\(artifact.versionCount)"), Table.Cell("\(artifact.latest.version)"),
                Table.Cell(artifact.latest.typeName), Table.Cell(Format.bytes(artifact.latest.size)),
                Table.Cell(Format.date(artifact.latest.createdAt, utc: utc)),
            ])
        }
        return table
    }
}
