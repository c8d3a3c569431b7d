import Foundation

/// The places a run's running steps hold, and whether another step may start.
///
/// A run may run up to its limit of steps at once (``PipelineOptions/maxConcurrency``). Starting
/// that many at once pays when steps wait, on a file, a network, a GPU or C code, and costs when
/// they are quick: thirty-two steps of a millisecond each on two cores contend for the cores and for
/// the store's writer instead of finishing one after another. So only as many steps as the machine
/// has cores start at once, and a step that has run for ``patience`` stops counting against that
/// share: it waits or works long, and another starts beside it, up to the limit. Go's runtime does
/// the same for a thread blocked in a system call, whose processor it hands to another thread.
struct StepSlots {
    /// How many steps may run at once.
    let limit: Int
    /// How many steps may be younger than ``patience`` at once.
    let eager: Int
    /// How long a step runs before another may start beside it beyond the core count.
    static let patience = Duration.milliseconds(3)
    /// When each running step took its place.
    private var started: [String: ContinuousClock.Instant] = [:]

    /// Places for `limit` steps, `eager` of which may be new at once: by default, the number of cores.
    init(limit: Int, eager: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
        self.eager = max(1, min(eager, limit))
    }

    /// How many places are taken.
    var count: Int { started.count }

    /// When another step may start.
    enum Admission: Equatable {
        /// At once.
        case now
        /// At this instant, when the youngest steps have run for ``StepSlots/patience``, unless a step ends first.
        case at(ContinuousClock.Instant)
        /// When a step ends: every place is taken.
        case afterAnEnd
    }

    /// When another step may start, asked at `now`.
    func admission(at now: ContinuousClock.Instant) -> Admission {
        guard started.count < limit else { return .afterAnEnd }
        var young = 0
        var oldestYoung = now
        for start in started.values where now - start < Self.patience {
            young += 1
            oldestYoung = min(oldestYoung, start)
        }
        return young < eager ? .now : .at(oldestYoung + Self.patience)
    }

    /// Gives `invocation` a place from `now`.
    mutating func take(_ invocation: String, at now: ContinuousClock.Instant) {
        started[invocation] = now
    }

    /// Hands the place of `holder` to `successor`, which starts at `now`.
    mutating func pass(from holder: String, to successor: String, at now: ContinuousClock.Instant) {
        started[holder] = nil
        started[successor] = now
    }

    /// Frees the place of `invocation`.
    mutating func release(_ invocation: String) {
        started[invocation] = nil
    }
}
