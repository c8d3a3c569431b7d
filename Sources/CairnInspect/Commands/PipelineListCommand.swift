import ArgumentParser
import Cairn
import CairnInspection
import Foundation

/// `cairn pipeline list`: the pipelines with their latest runs.
struct PipelineListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the pipelines that have runs, with their latest run.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        var rows: [PipelineRow] = []
        for pipeline in try await store.metadata.pipelines() {
            let latest = try await store.metadata.runs(RunQuery(pipelineName: pipeline.name, limit: 1)).first
            rows.append(PipelineRow(
                name: pipeline.name, runCount: pipeline.runCount, createdAt: pipeline.createdAt, latestRun: latest?.name,
                latestStatus: latest.map(ShownStatus.init(of:)), latestStartedAt: latest?.startedAt))
        }
        if options.json {
            try console.json(rows)
        } else if rows.isEmpty {
            console.line("No pipelines have runs yet. A pipeline appears here after its first run.")
        } else {
            console.writeOutput(PipelineRow.table(rows, utc: console.showsUTC).render(color: console.usesColor))
        }
    }
}

/// A line of `cairn pipeline list`.
struct PipelineRow: Encodable {
    var name: String
    var runCount: Int
    var createdAt: Date
    var latestRun: String?
    var latestStatus: ShownStatus?
    var latestStartedAt: Date?

    static func table(_ rows: [PipelineRow], utc: Bool) -> Table {
        var table = Table(titles: ["PIPELINE", "RUNS", "LATEST RUN", "STATUS", "STARTED"], rightAligned: [1])
        for row in rows {
            table.append([
                Table.Cell(row.name), Table.Cell("\(row.runCount)"), Table.Cell(row.latestRun ?? "-"),
                row.latestStatus.map { Table.Cell($0.name, $0.style) } ?? "-",
                Table.Cell(row.latestStartedAt.map { Format.date($0, utc: utc) } ?? "-"),
            ])
        }
        return table
    }
}
