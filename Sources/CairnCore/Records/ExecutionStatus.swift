/// The status of a run or a step run.
public enum ExecutionStatus: String, Codable, Sendable, CaseIterable {
    /// Created, not started yet.
    case initializing
    /// Running now.
    case running
    /// Finished successfully.
    case completed
    /// Finished with an error.
    case failed
    /// Not run: its outputs were reused from an earlier step run.
    case cached
    /// Not run, because a step it depends on did not complete or the run stopped first.
    case skipped
    /// Failed, and waiting to be tried again.
    case retrying
    /// Failed, and another attempt followed.
    case retried
    /// Stopped before it finished, by a failure elsewhere or a user.
    case stopped

    /// Whether the status is final.
    public var isFinished: Bool {
        switch self {
        case .initializing, .running, .retrying: false
        case .completed, .failed, .cached, .skipped, .retried, .stopped: true
        }
    }

    /// Whether the outputs exist: the step completed or was cached.
    public var isSuccessful: Bool {
        self == .completed || self == .cached
    }
}
