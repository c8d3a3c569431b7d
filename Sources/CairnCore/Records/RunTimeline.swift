public import Foundation

/// When each step of a run was queued, started and ended: what a timeline (a Gantt chart of the run) draws.
///
/// A step is queued once every input it needs exists, starts when its body begins and ends when its
/// body returns or fails, so that a bar's waiting part is time spent waiting for a place (under the
/// run's concurrency limit, or on a cluster's queue) and its running part is the step's own work.
/// Cached and skipped steps start and end at once.
///
/// ```swift
/// let timeline = try await result.timeline
/// for entry in timeline.entries { print(entry.invocation, entry.waited ?? 0, entry.ran ?? 0) }
/// ```
public struct RunTimeline: Sendable, Codable, Equatable {
    /// One bar of the timeline: one step run.
    public struct Entry: Sendable, Codable, Equatable {
        /// The step run's identifier.
        public var stepRunID: String
        /// The invocation's name.
        public var invocation: String
        /// The step run's status.
        public var status: ExecutionStatus
        /// The attempt number, from 1.
        public var attempt: Int
        /// When it was ready to run; `nil` if it never was (a skipped step).
        public var queuedAt: Date?
        /// When its body began, or when it was cached or skipped.
        public var startedAt: Date
        /// When its body ended; `nil` while it runs.
        public var endedAt: Date?

        /// How long it waited for a place, in seconds, if it was queued.
        public var waited: TimeInterval? {
            queuedAt.map { max(0, startedAt.timeIntervalSince($0)) }
        }

        /// How long its body ran, in seconds, once it ended.
        public var ran: TimeInterval? {
            endedAt.map { $0.timeIntervalSince(startedAt) }
        }
    }

    /// The run's identifier.
    public var runID: String
    /// When the run started: where the timeline begins.
    public var startedAt: Date
    /// When the run ended, if it has.
    public var endedAt: Date?
    /// Every step run, in the order the steps were queued (started, for those never queued).
    public var entries: [Entry]

    /// Makes the timeline of `run` from its step runs.
    public init(run: RunRecord, stepRuns: [StepRunRecord]) {
        runID = run.id
        startedAt = run.startedAt
        endedAt = run.endedAt
        entries = stepRuns.map { step in
            Entry(
                stepRunID: step.id, invocation: step.invocation, status: step.status, attempt: step.attempt, queuedAt: step.queuedAt,
                startedAt: step.startedAt, endedAt: step.endedAt)
        }
        // Stable: step runs queued at the same moment keep the store's order.
        entries = entries.enumerated().sorted { left, right in
            let (a, b) = (left.element.queuedAt ?? left.element.startedAt, right.element.queuedAt ?? right.element.startedAt)
            return a != b ? a < b : left.offset < right.offset
        }.map(\.element)
    }
}
