import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("Mistakes on a pipeline executable's command line", .timeLimit(.minutes(2)))
struct CommandLineMistakeTests {
    @Test("resume and explain on a folder without a store say so, and create nothing", arguments: [["resume", "some-run"], ["explain", "some-run", "step"]])
    func noStore(command: [String]) async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-none-\(UUID().uuidString)")
        let (status, output) = try await FixtureExecutable.run(command + ["--store", folder.path])
        #expect(status == 1, "\(output)")
        #expect(output.contains("Error: there is no Cairn store in \(folder.path)"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("an unknown run in resume or explain is an error with a suggestion, not a usage mistake", arguments: [["resume"], ["explain"]])
    func unknownRun(command: [String]) async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let run = try await FixturePipelines.diamond.run(on: store.stack).run
        let typo = String(run.name.dropLast()) + "x"
        let arguments = command + [typo] + (command == ["explain"] ? ["scale"] : []) + ["--store", store.home.path]
        let (status, output) = try await FixtureExecutable.run(arguments)
        #expect(status == 1, "\(output)")
        #expect(output.contains("Error: no run named '\(typo)'; did you mean '\(run.name)'?"), "\(output)")
        #expect(!output.contains("USAGE:"), "\(output)")
    }

    @Test("run --store naming a file says so, without a Foundation error dump")
    func storeIsAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "cairn-file-\(UUID().uuidString)")
        try Data("not a store".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try await FixtureExecutable.run(["run", "diamond", "--store", file.path])
        #expect(status == 1, "\(output)")
        #expect(output.contains("Error: \(file.path) is a file, not a store folder"), "\(output)")
        #expect(!output.contains("NSCocoaErrorDomain"), "\(output)")
    }

    @Test("run --config naming a folder says so")
    func configIsAFolder() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let (status, output) = try await FixtureExecutable.run(["run", "diamond", "--config", store.home.path, "--store", store.home.path])
        #expect(status == 1, "\(output)")
        #expect(output.contains("Error: \(store.home.path):1:1: this is a folder; give the path of a YAML file"), "\(output)")
    }

    @Test("step run --node with a digest the static pipeline does not make says what --node is, not what a dynamic body must do")
    func wrongNodeDigest() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        let run = try await FixturePipelines.diamond.run(on: store.stack).run
        let (status, output) = try await FixtureExecutable.run(
            ["step", "run", "--run", run.name, "--step", "scale", "--node", "garbage", "--store", store.home.path])
        #expect(status == 1, "\(output)")
        #expect(output.contains("--node must be the digest of the step's node as the run recorded it"), "\(output)")
        #expect(!output.contains("dynamic pipeline"), "\(output)")
    }
}
