import CairnCore
public import CairnRuntime
import Foundation

/// Prints a run's progress as plain lines: each step's start and end with its duration, then a
/// summary table of the steps and the run's name.
public final class ConsoleProgress: Sendable {
    /// The summary's rows so far, one per step end, in the order the steps ended; the lock also
    /// keeps lines whole when events come from several tasks.
    private let rows = Locked<[[String]]>([])
    private let write: @Sendable (String) -> Void

    /// Makes a reporter that writes to standard output, or to `write`.
    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) {
        self.write = write
    }

    /// Reports one event; safe to call from any task.
    public func report(_ event: RunEvent) {
        rows.withLock { rows in
            switch event {
            case .runStarted(let run):
                write("Running pipeline '\(run.pipelineName)' as run '\(run.name)'")
            case .stepStarted(let invocation):
                write("  ▸ \(invocation) started")
            case .stepFinished(let result):
                rows.append([result.invocation, result.status.rawValue, result.record?.duration.map(Self.format) ?? "-"])
                write("  \(Self.symbol(result.status)) \(result.invocation) \(result.status.rawValue)"
                    + (result.record?.cachedFrom != nil ? " (reused an earlier step run)" : "")
                    + (result.record?.duration.map { " in \(Self.format($0))" } ?? "")
                    + (result.status.isSuccessful ? "" : result.error.map { ": \($0)" } ?? ""))
            case .warning(let message):
                write("  ! warning: \(message)")
            case .runFinished(let run):
                write(Self.summary(of: run, rows: rows))
                rows = []
            }
        }
    }

    /// The table printed at the end of a run, from each step's invocation, status and duration.
    static func summary(of run: RunRecord, rows steps: [[String]]) -> String {
        let rows = [["STEP", "STATUS", "DURATION"]] + steps
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        let table = rows.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        let total = run.endedAt.map { format($0.timeIntervalSince(run.startedAt)) } ?? "-"
        let executable = CommandLine.arguments.first.map { URL(filePath: $0).lastPathComponent } ?? "pipelines"
        let next = run.status == .completed ? "" : "\nResume it with: \(executable) resume \(run.name)"
        return "\n" + table.joined(separator: "\n") + "\n\nRun '\(run.name)' \(run.status.rawValue) in \(total)."
            + "\nInspect it with: cairn runs show \(run.name)" + next
    }

    private static func symbol(_ status: ExecutionStatus) -> String {
        switch status {
        case .completed: "✓"
        case .cached: "≡"
        case .skipped: "↷"
        default: "✗"
        }
    }

    /// A duration for people: milliseconds under a second, seconds with two decimals above.
    static func format(_ seconds: TimeInterval) -> String {
        seconds < 1 ? String(format: "%.0f ms", seconds * 1000) : String(format: "%.2f s", seconds)
    }
}
