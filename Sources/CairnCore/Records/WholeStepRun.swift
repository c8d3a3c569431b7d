public import Foundation

/// A step run recorded whole: how it started and how it ended, written together.
///
/// A step run in this process that ran to its end before it could be recorded as running (the
/// outputs it started on were still being recorded) is recorded this way, by its ``writes``.
public struct WholeStepRun: Sendable {
    /// The step run, as it started.
    public var stepRun: NewStepRun
    /// How it ended.
    public var outcome: StepOutcome
    /// When it ended.
    public var endedAt: Date

    /// Makes a step run to record whole.
    public init(_ stepRun: NewStepRun, outcome: StepOutcome, endedAt: Date) {
        self.stepRun = stepRun
        self.outcome = outcome
        self.endedAt = endedAt
    }

    /// Its start, then its end, as ``StepRunStore/writeStepRuns(_:)`` takes them.
    public var writes: [StepRunWrite] {
        [.start(stepRun), .end(stepRunID: stepRun.id, outcome: outcome, startedAt: nil, endedAt: endedAt)]
    }
}
