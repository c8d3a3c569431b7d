import Cairn
import Foundation
import Testing

@Suite("Killing runs", .timeLimit(.minutes(ReliabilityScale.minutes(for: ReliabilityScale.current.kills, secondsEach: 1.5))))
struct KillTests {
    @Test("runs killed with SIGKILL at random moments leave a whole store, are marked failed, and resume to the same outputs")
    func randomKills() async throws {
        let scale = ReliabilityScale.current
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-kills-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try await KillHarness(kills: scale.kills, seed: scale.killSeed, folder: folder).run()
        print("Kill test: \(report)")
        #expect(report.failures == [])
        // The delays are drawn over an uninterrupted run's length, measured on a machine whose load
        // varies: most kills, but not all, land while the run runs.
        #expect(report.whileTheRunRan >= scale.kills / 4, "kills interrupt running pipelines: \(report)")
        #expect(report.resumed == report.whileTheRunRan)
    }
}
