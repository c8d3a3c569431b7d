import Foundation
import Testing

@Suite("Benchmarks", .timeLimit(.minutes(5)))
struct BenchmarkTests {
    @Test("every benchmark scenario, the cli ones on SQLite and PostgreSQL included, runs once at a tiny size against the current schemas")
    func everyScenarioRuns() async throws {
        let folder = URL(filePath: FixtureExecutable.path).deletingLastPathComponent()
        let (status, output) = try await ChildProcess.run(
            folder.appending(path: "cairn-benchmarks").path, ["--all"], environment: ["CAIRN_BENCH_SIZE": "tiny"])
        #expect(status == 0, "\(output)")
        for scenario in ["chain", "cached", "fanout", "blocked", "sleepy-fanout", "artifact", "process", "logs", "dynamic10k", "wide1000", "store-calls", "cli", "postgres-cli", "schedule-lateness"] {
            #expect(output.contains("| \(scenario): peak resident memory |"), "\(scenario) ran")
        }
        #expect(output.contains("| cairn runs show (newest run): median of 20 |"))
        #expect(output.contains("| postgres-cli: cairn runs show (newest run): median of 20 |"))
    }
}
