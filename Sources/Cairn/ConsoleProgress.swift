import CairnCore
public import CairnRuntime
import Foundation

/// Shows a run's progress on the console, then a summary table of its steps and the run's name.
///
/// On a terminal, a block of a few lines is redrawn in place, at most 8 times a second: how many
/// steps are running, done, cached, failed and skipped, the steps running now with how long each
/// has run, and how long the run has taken. Failures and warnings are printed above the block as
/// they happen, and stay; so is what steps running in process print to standard output, which is
/// captured while the block is shown. Anywhere else (a pipe, a file, CI) each step's start and
/// end is a line of its own, so that a log keeps them all.
///
/// ```swift
/// try await training.run(onEvent: ConsoleProgress().report)
/// ```
///
/// ```console
/// Running pipeline 'training' as run 'training-2026_12_04-19_52_35_970002'
///   ✗ evaluate_2 failed in 6 ms: the test set is empty
///   running 2 · done 5 · cached 1 · failed 1 · skipped 0 · 12.4 s elapsed
///     ▸ train_3  8.2 s
///     ▸ train_4  3.0 s
/// ```
public final class ConsoleProgress: Sendable {
    /// How progress is shown.
    public enum Style: Sendable {
        /// Live when standard output is a terminal, in lines otherwise.
        case automatic
        /// A line for each step's start and end.
        case lines
        /// A block redrawn in place, with failures and warnings above it: for terminals only.
        case live
    }

    /// Where progress goes, and in which style.
    enum Output {
        /// Plain lines, each given to the closure without its line break.
        case lines(@Sendable (String) -> Void)
        /// The live display, on this screen.
        case live(LiveScreen)
    }

    let output: Output
    /// The summary's rows so far, and the live display's state; the lock also keeps lines and
    /// frames whole when events come from several tasks at once.
    let state = Locked(State())

    /// What the reporter keeps between events.
    struct State {
        /// The summary's rows, one per step end, in the order the steps ended.
        var rows: [[String]] = []
        /// The live display of the run under way.
        var live: LiveProgress?
        /// How many lines of the live display are on screen, just above the cursor.
        var drawnLines = 0
        /// When the live display was last drawn.
        var lastDrawn: ContinuousClock.Instant?
        /// Counts runs, so that the timer of an ended run stops even when another has started.
        var generation = 0
    }

    /// Makes a reporter that writes plain lines to `write`, one call per line.
    public init(write: @escaping @Sendable (String) -> Void) {
        output = .lines(write)
    }

    /// Makes a reporter that writes to standard output in `style`: by default live on a terminal,
    /// and in lines anywhere else.
    public convenience init(style: Style = .automatic) {
        let isLive = switch style {
        case .automatic: Terminal.isStandardOutput()
        case .lines: false
        case .live: true
        }
        self.init(output: isLive ? .live(.standardOutput()) : .lines({ print($0) }))
    }

    /// Makes a reporter for `output`; tests give a live screen of their own.
    init(output: Output) {
        self.output = output
    }

    deinit {
        // A run that threw ends without `runFinished`: standard output must not stay captured.
        // Without waiting for the relay, as this may be the relay's thread, letting go of the
        // reporter after handing it a line.
        if case .live(let screen) = output { screen.capture?.stop(waits: false) }
    }

    /// Reports one event; safe to call from any task.
    public func report(_ event: RunEvent) {
        switch output {
        case .lines(let write): reportLine(event, to: write)
        case .live(let screen): reportLive(event, on: screen)
        }
    }

    /// Writes the line for an event, as the plain style shows it.
    private func reportLine(_ event: RunEvent, to write: @Sendable (String) -> Void) {
        state.withLock { state in
            switch event {
            case .runStarted(let run):
                write(Self.header(of: run))
            case .stepStarted(let invocation):
                write("  ▸ \(invocation) started")
            case .stepFinished(let result):
                state.rows.append(Self.row(of: result))
                write(Self.line(of: result))
            case .warning(let message):
                write(Self.line(warning: message))
            case .runFinished(let run):
                write(Self.summary(of: run, rows: state.rows))
                state.rows = []
            }
        }
    }

    /// The line that says a run starts.
    static func header(of run: RunRecord) -> String {
        "Running pipeline '\(run.pipelineName)' as run '\(run.name)'"
    }

    /// The line that says how a step ended: its status, whether it was reused, its duration and
    /// its error.
    static func line(of result: StepResult) -> String {
        "  \(symbol(result.status)) \(result.invocation) \(result.status.rawValue)"
            + (result.record?.cachedFrom != nil ? " (reused an earlier step run)" : "")
            + (result.record?.duration.map { " in \(format($0))" } ?? "")
            + (result.status.isSuccessful ? "" : result.error.map { ": \($0)" } ?? "")
    }

    /// The line of a warning.
    static func line(warning message: String) -> String {
        "  ! warning: \(message)"
    }

    /// A step's row in the summary: its invocation, status and duration.
    static func row(of result: StepResult) -> [String] {
        [result.invocation, result.status.rawValue, result.record?.duration.map(format) ?? "-"]
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
            + "\nInspect it with: swift run cairn runs show \(run.name)" + next
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
