import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

/// A pipeline executable and its step processes on a stack whose records are in PostgreSQL and whose
/// artifacts are in a folder of their own, chosen by name from a stack file, as a team would.
@Suite(
    "A team stack: PostgreSQL and a shared artifact folder", .timeLimit(.minutes(2)),
    .enabled(if: PostgreSQLTestServer.canRun, Comment(rawValue: PostgreSQLTestServer.missingMessage)))
struct TeamStackTests {
    /// A project folder whose stack file names `team`, on a fresh schema of the test server.
    func project() async throws -> (folder: URL, schema: String, environment: [String: String], server: PostgreSQLTestServer) {
        let server = try await PostgreSQLTestServer.shared()
        let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-team-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let schema = "team_\(UUID().uuidString.prefix(8).lowercased())"
        try """
            stacks:
              team:
                metadata_store:
                  flavor: postgresql
                  host: \(server.host)
                  port: \(server.port)
                  database: postgres
                  user: \(server.user)
                  password_env: TEAM_DB_PASSWORD
                  schema: \(schema)
                  tls: disable
                artifact_store: { flavor: local, path: shared/artifacts }
                orchestrator: { flavor: subprocess }
            """.write(to: folder.appending(path: "cairn-stacks.yaml"), atomically: true, encoding: .utf8)
        let environment = [
            "CAIRN_STACKS_FILE": folder.appending(path: "cairn-stacks.yaml").path, "CAIRN_STACK": "team",
            "TEAM_DB_PASSWORD": server.password, "CAIRN_HOME": folder.appending(path: "local").path,
        ]
        return (folder, schema, environment, server)
    }

    @Test("run, resume and explain run on the team stack, step processes open it from its description, and reading it from code agrees")
    func pipelineOnTeamStack() async throws {
        let (folder, _, environment, _) = try await project()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ran = try await FixtureExecutable.run(["run", "diamond"], environment: environment)
        #expect(ran.status == 0, "\(ran.output)")
        let stack = try await Stack.open(try StackSelection.resolve(environment: environment), creating: false, environment: environment)
        let run = try #require(try await stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .completed)
        let steps = try await stack.metadata.stepRuns(runID: run.id)
        #expect(steps.count == 7 && steps.allSatisfy { $0.status == .completed })
        let summarise = try #require(steps.first { $0.invocation == "summarise" })
        let output = try #require(try await stack.metadata.outputs(ofStepRun: summarise.id).first)
        #expect(try await stack.artifacts.contains(output.artifact.digest), "the outputs are in the stack's artifact folder")
        #expect(FileManager.default.fileExists(atPath: folder.appending(path: "shared/artifacts/objects").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "local").path), "the local stack was not touched")

        let again = try await FixtureExecutable.run(["run", "diamond"], environment: environment)
        #expect(again.status == 0, "\(again.output)")
        let second = try #require(try await stack.metadata.runs(RunQuery()).first)
        #expect(try await stack.metadata.stepRuns(runID: second.id).allSatisfy { $0.status == .cached }, "the cache works across processes on PostgreSQL")
        let explanation = try await FixtureExecutable.run(["explain", second.name, "scale"], environment: environment)
        #expect(explanation.output.contains("step 'scale' was cached"), "\(explanation.output)")

        // The cairn command line reads the same store, through its protocol.
        let cairn = URL(filePath: FixtureExecutable.path).deletingLastPathComponent().appending(path: "cairn").path
        let listed = try await ChildProcess.run(cairn, ["runs", "list", "--json"], environment: environment)
        let names = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
        #expect(names?.compactMap { $0["name"] as? String } == [second.name, run.name], "\(listed.output)")
        let status = try await ChildProcess.run(cairn, ["status"], environment: environment)
        #expect(status.output.hasPrefix("Stack              team\nMetadata           postgresql "), "\(status.output)")
        #expect(status.output.contains("Runs               2\n"))
    }

    @Test("a wrong password is an error naming the stack and the component, and nothing is written")
    func wrongPassword() async throws {
        let (folder, schema, environment, server) = try await project()
        defer { try? FileManager.default.removeItem(at: folder) }
        var wrong = environment
        wrong["TEAM_DB_PASSWORD"] = "not-the-password"
        let refused = try await FixtureExecutable.run(["run", "diamond"], environment: wrong)
        #expect(refused.status == 1)
        #expect(refused.output.contains("stack 'team': metadata store (postgresql, postgres@\(server.host):\(server.port)/postgres (schema \(schema))):"),
            "\(refused.output)")
        let schemas = try await server.runSQL("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'")
        #expect(schemas.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
