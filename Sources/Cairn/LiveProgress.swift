import CairnCore
import Foundation

/// What the live display of a run shows: how many steps are running and how many ended in each
/// way, the steps running now with how long each has run, and how long the run has taken.
///
/// A value, drawn as lines by ``lines(at:columns:rows:)``, so that what a person sees can be
/// checked without a terminal or a clock.
struct LiveProgress {
    /// The most running steps listed by name; the others are counted in a last line.
    static let listedSteps = 8

    /// When the run started.
    let startedAt: ContinuousClock.Instant
    /// The steps running now, with when each started.
    private(set) var running: [String: ContinuousClock.Instant] = [:]
    /// Steps that completed, were cached, failed (or were stopped) and were skipped.
    private(set) var done = 0, cached = 0, failed = 0, skipped = 0

    /// Starts the display of a run that starts at `startedAt`.
    init(startedAt: ContinuousClock.Instant) {
        self.startedAt = startedAt
    }

    /// Notes that a step started running.
    mutating func start(_ invocation: String, at instant: ContinuousClock.Instant) {
        running[invocation] = instant
    }

    /// Notes that a step ended with `status`; a step that was never reported as started (a cached
    /// or skipped one) is only counted.
    mutating func end(_ invocation: String, status: ExecutionStatus) {
        running[invocation] = nil
        switch status {
        case .completed: done += 1
        case .cached: cached += 1
        case .skipped: skipped += 1
        default: failed += 1
        }
    }

    /// The display at `now`: a line of counts and the run's elapsed time, then the running steps,
    /// those that have run longest first. Each line fits in `columns` less one, so that none
    /// wraps (a wrapped line would throw off the count of lines to redraw), and there are at most
    /// `rows` less one lines, so that the display can always be reached again by moving up.
    func lines(at now: ContinuousClock.Instant, columns: Int = 80, rows: Int = 24) -> [String] {
        let counts = "  running \(running.count) · done \(done) · cached \(cached) · failed \(failed) · skipped \(skipped)"
            + " · \(Self.format(now - startedAt)) elapsed"
        let longest = running.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        let listed = min(longest.count, Self.listedSteps, max(0, rows - 3))
        let width = longest.prefix(listed).map(\.key.count).max() ?? 0
        var lines = [counts]
        for (invocation, started) in longest.prefix(listed) {
            lines.append("    ▸ " + invocation.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Self.format(now - started))
        }
        if longest.count > listed { lines.append("    +\(longest.count - listed) more") }
        return lines.map { Self.fitting($0, in: max(1, columns - 1)) }
    }

    /// An elapsed time for people: tenths of a second under a minute, then minutes and seconds,
    /// then hours and minutes.
    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        switch seconds {
        case ..<60:
            let tenths = duration.components.attoseconds / 100_000_000_000_000_000
            return "\(max(0, seconds)).\(max(0, tenths)) s"
        case ..<3_600: return "\(seconds / 60) min \(seconds % 60) s"
        default: return "\(seconds / 3_600) h \(seconds % 3_600 / 60) min"
        }
    }

    /// `line`, cut to `columns` characters with an ellipsis.
    private static func fitting(_ line: String, in columns: Int) -> String {
        line.count <= columns ? line : String(line.prefix(columns - 1)) + "…"
    }
}
