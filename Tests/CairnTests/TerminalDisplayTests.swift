import Foundation
import Testing

/// Whether tests that need a terminal can run: with tmux installed, and always under CI, where a
/// missing tmux is a failure (`.ci/run` installs it).
let terminalTestsCanRun = Tmux.path != nil || ProcessInfo.processInfo.environment["CI"] == "true"

@Suite("What a person sees of a run", .timeLimit(.minutes(2)))
struct TerminalDisplayTests {
    @Test(
        "on a terminal the live block is redrawn in place: counts appear, a failure stays above, and the end leaves the summary",
        .enabled(if: terminalTestsCanRun, "needs tmux: apt-get install tmux"))
    func liveOnTerminal() async throws {
        try #require(Tmux.path != nil, "tmux is not installed: apt-get install tmux")
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-terminal-\(UUID().uuidString)")
        let raw = home.appending(path: "typescript")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let run = [FixtureExecutable.path, "run", "diamond", "--param", "fail=true", "--param", "pauseMilliseconds=300", "--store", home.path]
            .map(Tmux.quoted).joined(separator: " ")
        // `script` keeps every byte the run writes, while tmux shows them as a terminal would.
        let screen = try await Tmux.screen(after: "script -qfec \(Tmux.quoted(run)) \(Tmux.quoted(raw.path))", columns: 100, rows: 40)
        let header = try #require(screen.firstIndex { $0.hasPrefix("Running pipeline 'diamond' as run 'diamond-") }, "\(screen)")
        #expect(screen[header + 1].hasPrefix("  ✗ check failed in "), "the failure stays, right below the header: \(screen)")
        #expect(screen[header + 1].hasSuffix("the check failed on purpose (total 75.0)"))
        #expect(screen.contains { $0.hasPrefix("STEP") && $0.contains("STATUS") && $0.contains("DURATION") }, "\(screen)")
        #expect(screen.contains { $0.hasPrefix("Run 'diamond-") && $0.contains("' failed in ") }, "\(screen)")
        #expect(screen.contains { $0.hasPrefix("Resume it with: cairn-fixtures resume diamond-") }, "\(screen)")
        #expect(screen.contains("exit status 1"), "\(screen)")
        #expect(!screen.contains { $0.contains(" elapsed") || $0.contains("▸") }, "no running block is left: \(screen)")
        #expect(!screen.contains { $0.contains(" started") }, "no line per step start: \(screen)")
        let written = try String(contentsOf: raw, encoding: .utf8)
        #expect(written.contains("  running 0 · done 0 · cached 0 · failed 0 · skipped 0 · "), "the counts were shown")
        #expect(written.contains("\u{1B}[J"), "the block was erased in place")
    }

    @Test(
        "what steps print in process on a terminal is shown above the live block, which it does not break",
        .enabled(if: terminalTestsCanRun, "needs tmux: apt-get install tmux"))
    func printingStepsOnTerminal() async throws {
        try #require(Tmux.path != nil, "tmux is not installed: apt-get install tmux")
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-terminal-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let quickstart = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "quickstart").path
        let run = [quickstart, "run", "iris_training", "--store", home.path].map(Tmux.quoted).joined(separator: " ")
        let screen = try await Tmux.screen(after: run, columns: 100, rows: 50)
        #expect(screen.first?.hasPrefix("Running pipeline 'iris_training' as run 'iris_training-") == true, "\(screen)")
        // The report step prints its table, which comes whole, between the header and the summary.
        let table = try #require(screen.firstIndex(of: "| model | test accuracy |"), "\(screen)")
        #expect(Array(screen[table..<(table + 5)].map { $0.split(separator: " |").first.map(String.init) ?? "" }) == [
            "| model", "|---|---|", "| logistic(lr=0.05)", "| logistic(lr=0.5)", "| knn(k=7)",
        ])
        let summary = try #require(screen.firstIndex { $0.hasPrefix("STEP") }, "\(screen)")
        #expect(table < summary)
        #expect(screen.contains { $0.hasPrefix("Run 'iris_training-") && $0.contains("' completed in ") }, "\(screen)")
        #expect(screen.last == "exit status 0", "\(screen)")
        #expect(!screen.contains { $0.contains(" elapsed") || $0.contains("▸") }, "no running block is left: \(screen)")
    }

    @Test("through a pipe, a run prints a plain line per step start and end, with no escape sequences")
    func plainThroughPipe() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cairn-plain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let (status, output) = try await FixtureExecutable.run(["run", "diamond", "--store", home.path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\n  ▸ makeNumbers started\n"))
        #expect(output.contains("\n  ✓ makeNumbers completed in "))
        #expect(output.contains("\n  ✓ check completed in "))
        #expect(!output.contains("\u{1B}"), "\(output)")
    }
}
