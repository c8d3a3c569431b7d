import Cairn
import CairnTesting
import Foundation
import Testing

@Suite("cairn store copy", .timeLimit(.minutes(2)))
struct StoreCopyCommandTests {
    /// The stacks copied into: `copy`, an SQLite store, and `team`, a PostgreSQL one where its server is installed.
    static var destinations: [String] {
        PostgreSQLTestServer.canRun ? ["copy", "team"] : ["copy"]
    }

    /// A project whose stack file describes `copy` and, where PostgreSQL is installed, `team`, each
    /// with an artifact folder of its own; and the environment that chooses the sample as the local stack.
    static func project(local: SampleStore) async throws -> (folder: URL, environment: [String: String]) {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-copy-project-\(UUID().uuidString)").standardizedFileURL
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var yaml = """
            stacks:
              copy:
                metadata_store: { flavor: sqlite, path: copy/metadata.sqlite }
                artifact_store: { flavor: local, path: copy/artifacts }

            """
        var environment = [
            "CAIRN_HOME": local.path, "CAIRN_STACK": "", "CAIRN_STACKS_FILE": folder.appending(path: "cairn-stacks.yaml").path,
        ]
        if PostgreSQLTestServer.canRun {
            let server = try await PostgreSQLTestServer.shared()
            yaml += """
                  team:
                    metadata_store:
                      flavor: postgresql
                      host: \(server.host)
                      port: \(server.port)
                      database: postgres
                      user: \(server.user)
                      password_env: TEAM_DB_PASSWORD
                      schema: copy_\(UUID().uuidString.prefix(8).lowercased())
                      tls: disable
                    artifact_store: { flavor: local, path: team/artifacts }

                """
            environment["TEAM_DB_PASSWORD"] = server.password
        }
        try yaml.write(to: folder.appending(path: "cairn-stacks.yaml"), atomically: true, encoding: .utf8)
        return (folder, environment)
    }

    @Test("copies the local history into another stack, where every command then answers the same; a copy again copies nothing",
        arguments: destinations)
    func copiesHistory(destination: String) async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let load = try #require(try await sample.metadata.stepRuns(runID: sample.training1.id).first { $0.invocation == "load" })
        let log = try await sample.temporary.stack.artifacts.store { try $0.write(Data("loading\n".utf8)) }
        try await sample.metadata.attachLog(stepRunID: load.id, digest: log.digest)
        let (folder, environment) = try await Self.project(local: sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        func cairn(_ arguments: [String]) async throws -> CommandOutput {
            try await CairnExecutable.run(arguments, in: folder, environment: environment)
        }
        let copy = ["store", "copy", "--from", "local", "--to", destination]

        let first = try await cairn(copy)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output == """
            Copied 2 runs, 3 artifact versions and 3 objects (2.03 KiB) from stack 'local' to stack '\(destination)'.
            Skipped 1 run:
              evaluation-1: it is still running; copy again once it has ended

            """)

        try await sample.metadata.finishRun(
            id: sample.evaluation1.id, status: .stopped, error: "stopped by hand", outputs: [:], at: SampleStore.date(7260),
            owner: RunOwner(of: sample.evaluation1))
        let second = try await cairn(copy)
        #expect(second.output == """
            Copied 1 run, 0 artifact versions and 0 objects (0 B) from stack 'local' to stack '\(destination)'.
            Already in stack '\(destination)': 2 runs.

            """)
        let third = try await cairn(copy + ["--json"])
        let report = try JSONDecoder().decode(HistoryCopyReport.self, from: Data(third.output.utf8))
        #expect(report.copiedRuns.isEmpty && report.presentRunCount == 3 && report.copiedObjectCount == 0 && report.skippedRuns.isEmpty)

        // Every question gets the same answer from both stacks; only where the bytes are differs.
        let folders = [sample.path + "/artifacts", folder.appending(path: "\(destination)/artifacts").path]
        let questions: [[String]] = [
            ["runs", "list"], ["runs", "list", "--json"], ["runs", "show", "training-1"], ["runs", "show", "training-2", "--json"],
            ["runs", "show", "evaluation-1"], ["runs", "dag", "training-1"], ["pipeline", "list", "--json"], ["artifact", "list"],
            ["artifact", "versions", "training::load::output", "--json"], ["artifact", "show", "training::train::model", "--json"],
            ["artifact", "show", "training::load::output:1"], ["steps", "logs", "training-1", "load"], ["artifact", "verify", "--all"],
        ]
        for question in questions {
            let original = try await cairn(question + ["--stack", "local"])
            let copied = try await cairn(question + ["--stack", destination])
            #expect(original.status == 0, "\(question): \(original.error)")
            #expect(
                folders.reduce(copied.output) { $0.replacing($1, with: "ARTIFACTS") }
                    == folders.reduce(original.output) { $0.replacing($1, with: "ARTIFACTS") }, "cairn \(question.joined(separator: " "))")
        }
        let status = try await cairn(["status", "--json", "--stack", destination])
        let counts = (try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])?["counts"] as? [String: Int]
        #expect(counts == ["pipelines": 2, "runs": 3, "stepRuns": 5, "artifacts": 2, "artifactVersions": 3])
    }

    @Test("mistakes are refused before anything is opened", arguments: [
        (["--from", "local", "--to", "local"], "Error: --from and --to both name stack 'local': there is nothing to copy."),
        (["--from", "copy", "--to", "other", "--store", "/tmp/x"], "Error: --store names the local stack's folder, and neither --from nor --to is 'local'."),
    ])
    func mistakes(arguments: [String], message: String) async {
        let result = await cairn(["store", "copy"] + arguments)
        #expect(result.status == 64)
        #expect(result.error.hasPrefix(message + "\n"), "\(result.error)")
    }

    @Test("a stack that is not known is named, with the closest")
    func unknownStack() async throws {
        let sample = try await SampleStore.make()
        defer { sample.temporary.remove() }
        let (folder, environment) = try await Self.project(local: sample)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await CairnExecutable.run(["store", "copy", "--from", "local", "--to", "cpy"], in: folder, environment: environment)
        #expect(result.status == 1)
        #expect(result.error.contains("'cpy'") && result.error.contains("'copy'"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "copy").path), "nothing was created")
    }
}
