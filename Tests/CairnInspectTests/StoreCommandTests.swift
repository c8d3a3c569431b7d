import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("cairn init, status and pipeline list", .timeLimit(.minutes(1)))
struct StoreCommandTests {
    @Test("init creates a store, and leaves an existing one as it is")
    func initCreatesStore() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-init-\(UUID().uuidString)/.cairn")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let first = await cairn("init", "--store", folder.path)
        #expect(first.status == 0)
        #expect(first.output.hasPrefix("Created a Cairn store in \(folder.path) (schema \(SQLiteMetadataStore.latestSchemaVersion)).\n"))
        #expect(FileManager.default.fileExists(atPath: folder.appending(path: "metadata.sqlite").path))
        #expect(FileManager.default.fileExists(atPath: folder.appending(path: "artifacts/objects").path))
        let second = await cairn("init", "--store", folder.path, "--json")
        #expect(second.status == 0)
        #expect(second.output == """
            {
              "created" : false,
              "path" : "\(folder.path)",
              "schemaVersion" : "\(SQLiteMetadataStore.latestSchemaVersion)"
            }

            """)
    }

    @Test("a command on a folder without a store says so and how to make one, and creates nothing")
    func missingStore() async throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-none-\(UUID().uuidString)")
        let result = await cairn("runs", "list", "--store", folder.path)
        #expect(result.status == 1)
        #expect(result.error == """
            Error: no Cairn store in \(folder.path) (given with --store)
            Create one with `cairn init`, or name an existing one with `--store PATH` or $CAIRN_HOME.

            """)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }

    @Test("status shows the stack's stores, schema, counts and size")
    func status() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("status", "--store", sample.path)
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines[0] == "Stack              local")
        #expect(lines[1] == "Metadata           sqlite \(sample.path)/metadata.sqlite (schema \(SQLiteMetadataStore.latestSchemaVersion))")
        #expect(lines[2] == "Artifacts          local \(sample.path)/artifacts")
        #expect(lines[3] == "Pipelines          2")
        #expect(lines[4] == "Runs               3")
        #expect(lines[5] == "Step runs          5")
        #expect(lines[6] == "Artifact versions  3 of 2 artifacts")
        #expect(lines[7].hasPrefix("Size               "))

        let json = await cairn("status", "--store", sample.path, "--json")
        let report = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let counts = report?["counts"] as? [String: Int]
        #expect(counts == ["pipelines": 2, "runs": 3, "stepRuns": 5, "artifacts": 2, "artifactVersions": 3])
        #expect((report?["artifactBytes"] as? Int ?? 0) >= 2048)
    }

    @Test("pipeline list shows each pipeline with its latest run")
    func pipelineList() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let result = await cairn("pipeline", "list", "--store", sample.path)
        #expect(result.status == 0)
        #expect(result.output == """
            PIPELINE    RUNS  LATEST RUN    STATUS   STARTED
            evaluation     1  evaluation-1  running  2025-01-02 12:00:00
            training       2  training-2    failed   2025-01-02 11:00:00

            """)
    }
}
