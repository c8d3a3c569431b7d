import Foundation

/// The places a run's running steps hold, and whether another step may start.
///
/// A run may run up to its limit of steps at once (``PipelineOptions/maxConcurrency``). Starting
/// that many at once pays when steps wait, on a file, a network, a GPU or C code, and costs when
/// they are quick: thirty-two steps of a millisecond each on two cores contend for the cores and for
/// the store's writer instead of finishing one after another. So a run starts as many steps at once
/// as the machine has cores, its allowance, and while every allowed place is taken and no step has
/// ended for ``patience``, the steps are taken to be waiting, and the allowance doubles, up to the
/// limit. Quick steps end all the time and keep to the cores; steps that wait reach the limit within
/// a few times ``patience``. .NET's thread pool grows the same way when its work items stop
/// completing.
struct StepSlots {
    /// How many steps may run at once.
    let limit: Int
    /// How many steps may run at once now: the core count at first, doubled whenever every place
    /// was taken and no step ended for ``patience``.
    private(set) var allowance: Int
    /// How long the steps may hold every allowed place without one ending before more may start.
    static let patience = Duration.milliseconds(3)
    /// The steps holding places.
    private var running: Set<String> = []
    /// When a step last ended or the allowance last grew; `nil` before the first step starts.
    private var lastProgress: ContinuousClock.Instant?

    /// Places for `limit` steps, `eager` of which may start at once: by default, the number of cores.
    init(limit: Int, eager: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
        self.allowance = max(1, min(eager, limit))
    }

    /// When another step may start.
    enum Admission: Equatable {
        /// At once.
        case now
        /// At this instant, if no step ends before: every allowed place is taken by steps that may be waiting.
        case at(ContinuousClock.Instant)
        /// When a step ends: every place is taken.
        case afterAnEnd
    }

    /// How many places are taken.
    var count: Int { running.count }

    /// When another step may start, asked at `now`.
    func admission(at now: ContinuousClock.Instant) -> Admission {
        guard running.count < limit else { return .afterAnEnd }
        guard running.count >= allowance, let lastProgress else { return .now }
        return now - lastProgress >= Self.patience ? .now : .at(lastProgress + Self.patience)
    }

    /// Gives `invocation` a place from `now`; beyond the allowance, which ``admission(at:)`` allowed,
    /// the allowance doubles.
    mutating func take(_ invocation: String, at now: ContinuousClock.Instant) {
        if running.count >= allowance {
            allowance = min(limit, allowance * 2)
            lastProgress = now
        } else if lastProgress == nil {
            lastProgress = now
        }
        running.insert(invocation)
    }

    /// Hands the place of `holder`, whose body ended, to `successor`.
    mutating func pass(from holder: String, to successor: String, at now: ContinuousClock.Instant) {
        running.remove(holder)
        running.insert(successor)
        lastProgress = now
    }

    /// Frees the place of `invocation`, which ended at `now`.
    mutating func release(_ invocation: String, at now: ContinuousClock.Instant) {
        guard running.remove(invocation) != nil else { return }
        lastProgress = now
    }
}
