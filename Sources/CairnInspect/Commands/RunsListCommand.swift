import ArgumentParser
import Cairn
import CairnInspection
import Foundation

/// `cairn runs list`: runs, newest first, filtered and paginated.
struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List runs, newest first.",
        discussion: """
            STEPS counts the steps that completed or were cached, out of the steps in the run's pipeline. \
            A run recorded as running whose process is gone shows as abandoned; listing it changes nothing, \
            and --status counts it as running until it is resumed or the next run on the stack marks it failed.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Only runs of this pipeline.")
    var pipeline: String?

    @Option(help: ArgumentHelp(
        "Only runs with this status: \(ExecutionStatus.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "status"))
    var status: String?

    // `.unconditional`: a value that starts with a dash (`--since -5d`, `--limit -1`) is taken as the
    // value and refused with the reason, rather than read as an unknown option, leaving the
    // option without its value ("Missing value for '--since'").
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Only runs started since then: a time ago (30m, 2h, 7d, 2w) or a date (2024-05-01, 2024-05-01T10:00:00Z).", valueName: "time"))
    var since: String?

    @Option(help: "Only runs with this tag.")
    var tag: String?

    @Option(parsing: .unconditional, help: "How many runs to show.")
    var limit = 20

    @Option(parsing: .unconditional, help: "Which page of --limit runs to show, from 1.")
    var page: Int?

    @Option(parsing: .unconditional, help: "How many of the newest matching runs to skip (instead of --page).")
    var offset: Int?

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        if let page, page < 1 { throw ValidationError("--page counts from 1.") }
        if let offset, offset < 0 { throw ValidationError("--offset cannot be negative.") }
        if page != nil, offset != nil { throw ValidationError("Give --page or --offset, not both.") }
        if let since { _ = try PointInTime.parse(since) }
        if let status, ExecutionStatus(rawValue: status) == nil {
            let known = ExecutionStatus.allCases.map(\.rawValue)
            throw ValidationError(
                "'\(status)' is not a status" + (Suggestion.closest(to: status, in: known).map { "; did you mean '\($0)'?" } ?? "")
                    + " Statuses: \(known.joined(separator: ", ")).")
        }
    }

    func run() async throws {
        let console = Console.current
        let store = try await CommandStore.open(options)
        let skip = offset ?? ((page ?? 1) - 1) * limit
        let query = RunQuery(
            pipelineName: pipeline, status: status.flatMap(ExecutionStatus.init(rawValue:)),
            startedAfter: try since.map { try PointInTime.parse($0) }, tag: tag,
            limit: limit + 1, offset: skip)
        var runs = try await store.metadata.runSummaries(query)
        let hasMore = runs.count > limit
        runs = Array(runs.prefix(limit))
        if runs.isEmpty, let pipeline {
            try await store.requirePipeline(pipeline) { "cairn runs list --pipeline \($0)" }
        }
        let rows = runs.map(RunRow.init)
        if options.json {
            try console.json(rows)
            return
        }
        if rows.isEmpty {
            console.line(skip > 0 ? "No runs on this page." : "No runs\(isFiltered ? " match these filters" : " yet").")
            return
        }
        console.writeOutput(RunRow.table(rows, utc: console.showsUTC).render(color: console.usesColor))
        if hasMore {
            console.line()
            console.line(
                "Showing runs \(skip + 1) to \(skip + rows.count). Next: "
                    + nextPageCommand(skip: skip + rows.count))
        }
    }

    private var isFiltered: Bool {
        pipeline != nil || status != nil || since != nil
    }

    /// The command line that shows the next page, with the same filters.
    private func nextPageCommand(skip: Int) -> String {
        var words = ["cairn", "runs", "list"]
        if let store = options.store { words += ["--store", store] }
        if let pipeline { words += ["--pipeline", pipeline] }
        if let status { words += ["--status", status] }
        if let since { words += ["--since", since] }
        if limit != 20 { words += ["--limit", "\(limit)"] }
        if offset != nil || skip % limit != 0 {
            words += ["--offset", "\(skip)"]
        } else {
            words += ["--page", "\(skip / limit + 1)"]
        }
        return words.joined(separator: " ")
    }
}

/// A line of `cairn runs list`.
struct RunRow: Encodable {
    var id: String
    var name: String
    var pipeline: String
    var status: ShownStatus
    var startedAt: Date
    var endedAt: Date?
    var durationSeconds: Double?
    /// Step runs by status.
    var steps: [String: Int]
    /// The number of steps in the run's graph.
    var plannedSteps: Int
    /// Why it failed; for an abandoned run, that its process stopped.
    var error: String?

    init(_ run: RunSummary) {
        id = run.id
        name = run.name
        pipeline = run.pipelineName
        status = ShownStatus(of: run)
        startedAt = run.startedAt
        endedAt = run.endedAt
        durationSeconds = run.endedAt.map { $0.timeIntervalSince(run.startedAt) }
        steps = Dictionary(uniqueKeysWithValues: run.stepRunCounts.map { ($0.key.rawValue, $0.value) })
        plannedSteps = run.plannedStepCount
        error = status == .abandoned ? RunWatchdog.reason(ownerGone: RunOwner(host: run.host, processID: run.processID)) : run.error
    }

    /// Steps that completed or were cached.
    var successfulSteps: Int {
        (steps[ExecutionStatus.completed.rawValue] ?? 0) + (steps[ExecutionStatus.cached.rawValue] ?? 0)
    }

    static func table(_ rows: [RunRow], utc: Bool) -> Table {
        var table = Table(titles: ["RUN", "PIPELINE", "STATUS", "STARTED", "DURATION", "STEPS"], rightAligned: [4, 5])
        for row in rows {
            table.append([
                Table.Cell(row.name), Table.Cell(row.pipeline), Table.Cell(row.status.name, row.status.style),
                Table.Cell(Format.date(row.startedAt, utc: utc)), Table.Cell(row.durationSeconds.map(Format.duration) ?? "-"),
                Table.Cell("\(row.successfulSteps)/\(row.plannedSteps)"),
            ])
        }
        return table
    }
}
