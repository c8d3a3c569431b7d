import Cairn
import CairnTesting
import Foundation
import Testing

@Suite(
    "Killing runs",
    .timeLimit(.minutes(ReliabilityScale.minutes(for: StoreKind.allCases.map(ReliabilityScale.current.kills(on:)).max() ?? 1, secondsEach: 2))))
struct KillTests {
    @Test("on SQLite, runs killed with SIGKILL at random moments leave a whole store, are marked failed, and resume to the same outputs")
    func killsOnSQLite() async throws {
        try await kill(on: .sqlite)
    }

    @Test(
        "on PostgreSQL, runs killed with SIGKILL at random moments leave a whole store, are marked failed, and resume to the same outputs",
        .enabled(if: PostgreSQLTestServer.canRun, Comment(rawValue: PostgreSQLTestServer.missingMessage)))
    func killsOnPostgreSQL() async throws {
        try await kill(on: .postgresql)
    }

    /// Runs the harness on `store` with the scale the environment asks for, and checks its report.
    private func kill(on store: StoreKind) async throws {
        let scale = ReliabilityScale.current
        let kills = scale.kills(on: store)
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-kills-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try await KillHarness(kills: kills, seed: scale.killSeed, folder: folder, store: store).run()
        print("Kill test on \(store): \(report)")
        #expect(report.failures == [])
        // The delays are drawn over an uninterrupted run's length, measured on a machine whose load
        // varies: most kills, but not all, land while the run runs.
        #expect(report.whileTheRunRan >= kills / 4, "kills interrupt running pipelines: \(report)")
        #expect(report.resumed == report.whileTheRunRan)
    }
}
