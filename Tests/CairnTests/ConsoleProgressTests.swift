@testable import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

/// A screen for the live display that keeps what is written, with a clock that moves only by
/// `step` each time it is read.
final class RecordingScreen: Sendable {
    private let state: Locked<(writes: [String], now: ContinuousClock.Instant)> = Locked(([], .now))
    private let step: Duration

    init(step: Duration = .zero) {
        self.step = step
    }

    /// A live screen of 100 columns by 40 rows that draws on events only.
    var screen: LiveScreen {
        LiveScreen(
            write: { text in self.state.withLock { $0.writes.append(text) } },
            now: { self.state.withLock { state in
                state.now += self.step
                return state.now
            } },
            size: { (100, 40) }, interval: .milliseconds(125), redrawsOnTimer: false)
    }

    /// Everything written, one element per write.
    var writes: [String] {
        state.withLock { $0.writes }
    }

    /// What a person sees once everything written has been shown.
    var lines: [String] {
        var terminal = TerminalScreen()
        for text in writes { terminal.write(text) }
        return terminal.lines
    }
}

@Suite("Live progress on a terminal", .timeLimit(.minutes(1)))
struct ConsoleProgressTests {
    @Test("events that come faster than the interval draw one frame; failures stay above it; the end leaves the summary only")
    func throttledFrames() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let recording = RecordingScreen()  // the clock stands still: no frame is ever due again
        let progress = ConsoleProgress(output: .live(recording.screen))
        _ = try? await FixturePipelines.diamond.run(DiamondParameters(fail: true), on: store.stack, onEvent: progress.report)
        let frames = recording.writes.filter { $0.contains(" elapsed") }
        #expect(frames.count == 1, "only the first frame, drawn when the run starts: \(recording.writes)")
        #expect(frames.first?.contains("  running 0 · done 0 · cached 0 · failed 0 · skipped 0 · 0.0 s elapsed\n") == true)
        let lines = recording.lines
        #expect(lines.first?.hasPrefix("Running pipeline 'diamond' as run 'diamond-") == true, "\(lines)")
        #expect(lines.dropFirst().first?.hasPrefix("  ✗ check failed in ") == true, "the failure stays: \(lines)")
        #expect(lines.contains { $0.hasPrefix("STEP") && $0.contains("STATUS") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("Run 'diamond-") && $0.contains("' failed in ") })
        #expect(!lines.contains { $0.contains("elapsed") || $0.contains("▸") }, "no running block is left: \(lines)")
    }

    @Test("when time passes between events, each draws a frame with the counts and the steps running")
    func framesOnEvents() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let recording = RecordingScreen(step: .seconds(1))
        let progress = ConsoleProgress(output: .live(recording.screen))
        try await FixturePipelines.diamond.withOptions { $0.maxConcurrency = 1 }.run(on: store.stack, onEvent: progress.report)
        let frames = recording.writes.filter { $0.contains(" elapsed") }
        // One frame for the run's start, one for each of the 7 steps' start and end.
        #expect(frames.count == 15, "\(recording.writes)")
        #expect(frames.contains { $0.contains("  running 1 · done 0 ·") && $0.contains("    ▸ makeNumbers  0.0 s\n") }, "\(frames)")
        #expect(frames.last?.contains("  running 0 · done 7 · cached 0 · failed 0 · skipped 0 · ") == true, "\(frames)")
        let lines = recording.lines
        #expect(lines.dropFirst().first == "", "the summary follows the header, with nothing in between: \(lines)")
        #expect(lines.last?.hasPrefix("Inspect it with: swift run cairn runs show diamond-") == true, "\(lines)")
    }

    @Test("the block lists the steps that have run longest, at most 8, and counts the others; no line is wider than the screen")
    func block() {
        let start = ContinuousClock.now
        var progress = LiveProgress(startedAt: start)
        for index in 0..<10 { progress.start("step_\(index)", at: start + .milliseconds(100 * index)) }
        progress.end("step_0", status: .completed)
        progress.end("cached", status: .cached)
        progress.end("skipped", status: .skipped)
        progress.end("failed", status: .failed)
        progress.end("stopped", status: .stopped)
        progress.start("a_step_with_a_name_far_too_long_for_the_screen_it_is_shown_on", at: start + .seconds(2))
        let lines = progress.lines(at: start + .seconds(75), columns: 50)
        #expect(lines == [
            "  running 10 · done 1 · cached 1 · failed 2 · sk…",
            "    ▸ step_1  1 min 14 s",
            "    ▸ step_2  1 min 14 s",
            "    ▸ step_3  1 min 14 s",
            "    ▸ step_4  1 min 14 s",
            "    ▸ step_5  1 min 14 s",
            "    ▸ step_6  1 min 14 s",
            "    ▸ step_7  1 min 14 s",
            "    ▸ step_8  1 min 14 s",
            "    +2 more",
        ])
        #expect(progress.lines(at: start + .seconds(75), columns: 50, rows: 6).count == 5, "a short screen lists fewer steps")
    }

    @Test("elapsed times read in tenths of a second, then minutes, then hours", arguments: [
        (Duration.milliseconds(40), "0.0 s"), (.milliseconds(3_250), "3.2 s"), (.seconds(59.99), "59.9 s"),
        (.seconds(75), "1 min 15 s"), (.seconds(3_700), "1 h 1 min"),
    ])
    func elapsed(duration: Duration, text: String) {
        #expect(LiveProgress.format(duration) == text)
    }
}
