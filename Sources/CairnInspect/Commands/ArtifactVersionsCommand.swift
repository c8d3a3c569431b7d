import ArgumentParser
import Cairn

/// `cairn artifact versions NAME`: the versions of an artifact, newest first and paged, with their producers.
struct ArtifactVersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "List the versions of an artifact, newest first, with the run and step that produced each.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The artifact's name.")
    var name: String

    @Option(help: "How many versions to show.")
    var limit = 20

    @Option(help: "Which page of --limit versions to show, from 1.")
    var page = 1

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        guard page > 0 else { throw ValidationError("--page counts from 1.") }
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let skip = (page - 1) * limit
        var versions = try await store.metadata.artifactVersions(named: name, limit: limit + 1, offset: skip)
        let hasMore = versions.count > limit
        versions = Array(versions.prefix(limit))
        guard !versions.isEmpty else {
            if skip > 0 {
                console.line("No versions on this page.")
                return
            }
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
            if hasMore {
                let store = options.store.map { " --store \($0)" } ?? ""
                let limit = limit == 20 ? "" : " --limit \(limit)"
                console.line()
                console.line(
                    "Showing versions \(skip + 1) to \(skip + rows.count), newest first. "
                        + "Next: cairn artifact versions \(name)\(store)\(limit) --page \(page + 1)")
            }
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
