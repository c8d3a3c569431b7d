public import Foundation

/// One change to the step runs of a store: a step run starting, or ending.
///
/// ``StepRunStore/writeStepRuns(_:)`` writes a list of them in one transaction, in order: a step
/// run started earlier in the list may be named as a parent, or ended, by a later write.
public enum StepRunWrite: Sendable {
    /// A step run starts: it is recorded with its inputs and parents, and, for a cached one, its
    /// reused outputs. One created in a final status (skipped, failed, …) is recorded as ended when
    /// it started.
    case start(NewStepRun)
    /// A recorded step run ends. A completed one's outputs become new versions of their artifacts,
    /// each numbered one past the highest of its name. `startedAt`, when given, corrects the recorded
    /// start to when the step's body began: a step run is recorded as running before its inputs are read.
    case end(stepRunID: String, outcome: StepOutcome, startedAt: Date?, endedAt: Date)

    /// The step run the write is about.
    public var stepRunID: String {
        switch self {
        case .start(let stepRun): stepRun.id
        case .end(let id, _, _, _): id
        }
    }
}
