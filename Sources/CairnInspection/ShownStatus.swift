public import CairnCore
import CairnRuntime

/// A run's or a step run's status as the commands and the dashboard show it: the recorded status, or `abandoned` for a
/// run recorded as running whose process is gone, and for the unfinished step runs of such a run.
///
/// Whether the process is gone is asked as the run is read (``RunWatchdog/isAbandoned(_:host:now:)``),
/// so that a command that only reads never writes: the run stays recorded as running until a write
/// marks it failed (the next run on the stack, or resuming it). In JSON it is the status's name,
/// `abandoned` included.
public enum ShownStatus: Sendable, Equatable, Encodable {
    /// The status the store records.
    case recorded(ExecutionStatus)
    /// Recorded as running, by a process that is gone.
    case abandoned

    /// The status to show for `status`, of a run whose process is gone when `runIsAbandoned`.
    public init(_ status: ExecutionStatus, runIsAbandoned: Bool) {
        self = runIsAbandoned && !status.isFinished ? .abandoned : .recorded(status)
    }

    /// The status of `run`, whose process this host asks about now.
    public init(of run: RunRecord) {
        self.init(run.status, runIsAbandoned: run.status == .running && RunWatchdog.isAbandoned(run))
    }

    /// The status of the run `summary` lists, whose process this host asks about now.
    public init(of summary: RunSummary) {
        self.init(summary.status, runIsAbandoned: summary.status == .running && RunWatchdog.isAbandoned(summary))
    }

    /// The status's name: `running`, `failed`, `abandoned`, ….
    public var name: String {
        switch self {
        case .recorded(let status): status.rawValue
        case .abandoned: "abandoned"
        }
    }

    /// Whether it is final: an abandoned run runs no more.
    public var isFinished: Bool {
        switch self {
        case .recorded(let status): status.isFinished
        case .abandoned: true
        }
    }

    /// Whether the outputs exist: the step completed or was cached.
    public var isSuccessful: Bool {
        switch self {
        case .recorded(let status): status.isSuccessful
        case .abandoned: false
        }
    }

    /// Writes the status's name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
