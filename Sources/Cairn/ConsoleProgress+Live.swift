import CairnCore
import CairnRuntime
import Foundation

/// Where the live display draws, and how often.
struct LiveScreen: Sendable {
    /// Writes text as given, at once: a frame in one write, so that the terminal never shows half of one.
    var write: @Sendable (String) -> Void
    /// The time now.
    var now: @Sendable () -> ContinuousClock.Instant = { .now }
    /// The screen's size, read at each frame, as a terminal may be resized during a run.
    var size: @Sendable () -> (columns: Int, rows: Int)
    /// The shortest time between two frames, and how often the timer draws one: 8 a second.
    var interval: Duration = .milliseconds(125)
    /// Whether a timer draws frames between events, as elapsed times change without them; tests
    /// draw on events only, with a clock of their own.
    var redrawsOnTimer = true
    /// What else the process writes to the terminal while a run is under way; tests have none.
    var capture: OutputCapture?

    /// The terminal standard output shows on.
    static func standardOutput() -> LiveScreen {
        let capture = OutputCapture()
        return LiveScreen(write: capture.writeToTerminal, size: { Terminal.size(of: capture.terminal) }, capture: capture)
    }
}

extension ConsoleProgress {
    /// Reports an event on the live display: lines that stay (the header, failures, warnings) are
    /// written above the block at once, and the block is redrawn, but not more often than the
    /// screen's interval: events that come faster are shown by the next frame.
    func reportLive(_ event: RunEvent, on screen: LiveScreen) {
        // Before the lock: the capture hands on what steps printed last, which takes the lock.
        if case .runFinished = event { screen.capture?.stop() }
        let started: Int? = state.withLock { state in
            let now = screen.now()
            switch event {
            case .runStarted(let run):
                state.generation += 1
                state.live = LiveProgress(startedAt: now)
                state.lastDrawn = nil
                Self.draw(above: [Self.header(of: run)], in: &state, on: screen, at: now)
                return state.generation
            case .stepStarted(let invocation):
                state.live?.start(invocation, at: now)
                Self.draw(above: [], in: &state, on: screen, at: now)
            case .stepFinished(let result):
                state.rows.append(Self.row(of: result))
                state.live?.end(result.invocation, status: result.status)
                let stays = !result.status.isSuccessful && result.status != .skipped
                Self.draw(above: stays ? [Self.line(of: result)] : [], in: &state, on: screen, at: now)
            case .warning(let message):
                Self.draw(above: [Self.line(warning: message)], in: &state, on: screen, at: now)
            case .runFinished(let run):
                screen.write(Terminal.up(state.drawnLines) + Terminal.eraseBelow + Self.summary(of: run, rows: state.rows) + "\n")
                (state.rows, state.live, state.drawnLines, state.lastDrawn) = ([], nil, 0, nil)
            }
            return nil
        }
        guard let started else { return }
        screen.capture?.start { [weak self] text in
            // A reporter that goes before its run's end (a run that threw) still shows what was printed.
            guard let self else { return screen.write(text + "\n") }
            self.state.withLock { state in
                Self.draw(above: text.components(separatedBy: "\n"), in: &state, on: screen, at: screen.now())
            }
        }
        if screen.redrawsOnTimer { startTimer(forRun: started, on: screen) }
    }

    /// Writes `lines` where the block is, then the block below them when a frame is due: the
    /// first, or one an interval or more after the last. When a frame is not due, the block is
    /// left off until the timer draws the next.
    private static func draw(above lines: [String], in state: inout State, on screen: LiveScreen, at now: ContinuousClock.Instant) {
        guard let live = state.live else {
            // Before the run starts (a resumed run's warnings), there is no block to keep.
            if !lines.isEmpty { screen.write(lines.map { $0 + "\n" }.joined()) }
            return
        }
        let isDue = state.lastDrawn.map { now - $0 >= screen.interval } ?? true
        guard isDue || !lines.isEmpty else { return }
        let (columns, rows) = screen.size()
        let block = isDue ? live.lines(at: now, columns: columns, rows: rows) : []
        // Erased and written in one write, so that the terminal shows no frame half drawn.
        screen.write(Terminal.up(state.drawnLines) + Terminal.eraseBelow + (lines + block).map { $0 + "\n" }.joined())
        state.drawnLines = block.count
        if isDue { state.lastDrawn = now }
    }

    /// Draws a frame an interval after the last one, until run number `generation` ends.
    ///
    /// On a thread of its own rather than a task: step bodies run on Swift's cooperative threads,
    /// and busy ones would hold the timer up, just when a person waits for news.
    private func startTimer(forRun generation: Int, on screen: LiveScreen) {
        Thread.detachNewThread { [weak self] in
            var wait = screen.interval
            while true {
                let (seconds, attoseconds) = wait.components
                Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
                // Standard output is fully buffered when it is a pipe, as it is while captured:
                // what steps printed is shown within a frame, not when a buffer fills.
                fflush(nil)
                // Held only while drawing, so that a reporter dropped before its run's end (a run
                // that threw) stops its timer too.
                guard let self, let next = self.drawFrame(forRun: generation, on: screen) else { return }
                wait = next
            }
        }
    }

    /// Draws a frame of run number `generation` if one is due, and returns how long until the
    /// next is; `nil` once that run has ended.
    private func drawFrame(forRun generation: Int, on screen: LiveScreen) -> Duration? {
        state.withLock { state in
            guard state.generation == generation, state.live != nil else { return nil }
            let now = screen.now()
            if let last = state.lastDrawn, now - last < screen.interval { return screen.interval - (now - last) }
            Self.draw(above: [], in: &state, on: screen, at: now)
            return screen.interval
        }
    }
}
