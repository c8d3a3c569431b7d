import Cairn
import CairnFixturePipelines
import Foundation
import Testing

@Suite(
    "A disk that fills up", .timeLimit(.minutes(2)),
    .enabled(if: SmallFileSystem.isAvailable, "mounting a small tmpfs is not permitted here (it needs root); skipped"))
struct FullDiskTests {
    @Test("a run that fills the disk ends recorded as failed, with the disk's error, every time", arguments: 1...3)
    func finalStatusIsRecorded(attempt: Int) async throws {
        let disk = try SmallFileSystem.mount(megabytes: 4)
        defer { SmallFileSystem.unmount(disk) }
        let home = disk.appending(path: "store")
        let filler = disk.appending(path: "filler").path
        let (status, output) = try await FixtureExecutable.run(["run", "fill_disk", "--param", "path=\(filler)", "--store", home.path])
        #expect(status == 1, "\(output)")
        let metadata = try SQLiteMetadataStore(existingAt: home.appending(path: "metadata.sqlite").path)
        let run = try #require(try await metadata.runs(RunQuery()).first)
        #expect(run.status == .failed, "attempt \(attempt): \(output)")
        let error = run.error ?? ""
        #expect(error.contains("No space left on device") || error.contains("disk is full"), "\(error)")
        #expect(!error.contains("the process running it stopped"), "\(error)")
        let steps = try await metadata.stepRuns(runID: run.id)
        #expect(steps.allSatisfy { $0.status.isFinished }, "\(steps.map(\.status))")
    }
}
