import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("cairn stack", .timeLimit(.minutes(1)))
struct StackCommandTests {
    @Test("register writes the project's stack file; list, describe, set, validate and delete work on it")
    func lifecycle() async throws {
        let project = FileManager.default.temporaryDirectory.appending(path: "cairn-project-\(UUID().uuidString)").standardizedFileURL
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: project) }
        func cairn(_ arguments: String...) async throws -> CommandOutput {
            try await CairnExecutable.run(arguments, in: project, environment: ["CAIRN_STACK": "", "CAIRN_STACKS_FILE": ""])
        }
        let first = try await cairn("stack", "list")
        #expect(first.status == 0, "\(first.error)")
        let lines = first.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.prefix(2) == ["STACK METADATA STORE ARTIFACT STORE ORCHESTRATOR", "* local sqlite \(project.path)/.cairn/metadata.sqlite local \(project.path)/.cairn/artifacts in_process"])

        let registered = try await cairn(
            "stack", "register", "team", "--metadata", "postgresql://cairn@db.example.com:6543/cairn?schema=churn&tls=require",
            "--password-env", "CAIRN_DB_PASSWORD", "--artifacts", "shared/artifacts", "--orchestrator", "subprocess")
        #expect(registered.status == 0, "\(registered.error)")
        let file = try StackFile(contentsOf: project.appending(path: "cairn-stacks.yaml").path)
        #expect(file.stack(named: "team") == StackConfiguration(
            name: "team",
            metadataStore: .postgresql(PostgreSQLConnection(
                host: "db.example.com", port: 6543, database: "cairn", user: "cairn", passwordVariable: "CAIRN_DB_PASSWORD", schema: "churn", tls: .require)),
            artifactStore: .local(path: project.appending(path: "shared/artifacts").path), orchestrator: .subprocess(executable: nil)))
        let again = try await cairn("stack", "register", "team", "--metadata", "sqlite:m.sqlite", "--artifacts", "a")
        #expect(again.status == 1)
        #expect(again.error.contains("a stack of that name is in"))
        let secret = try await cairn("stack", "register", "leaky", "--metadata", "postgresql://cairn:hunter2@db/cairn", "--artifacts", "a")
        #expect(secret.status == 1)
        #expect(secret.error.hasPrefix("Error: a password never goes in a stack\n"))
        #expect(try String(contentsOf: project.appending(path: "cairn-stacks.yaml"), encoding: .utf8).contains("hunter2") == false)

        let local = try await cairn("stack", "register", "scratch", "--metadata", "scratch/metadata.sqlite", "--artifacts", "scratch/artifacts")
        #expect(local.status == 0, "\(local.error)")
        let absolute = try await cairn("stack", "register", "elsewhere", "--metadata", "sqlite:/data/metadata.sqlite", "--artifacts", "/shared/artifacts")
        #expect(absolute.status == 0, "\(absolute.error)")
        #expect(try StackFile(contentsOf: project.appending(path: "cairn-stacks.yaml").path).stack(named: "elsewhere")
            == StackConfiguration(name: "elsewhere", metadataStore: .sqlite(path: "/data/metadata.sqlite"), artifactStore: .local(path: "/shared/artifacts")),
            "absolute paths stay as they are")
        let set = try await cairn("stack", "set", "scratch")
        #expect(set.status == 0, "\(set.error)")
        let described = try await cairn("stack", "describe")
        #expect(described.output.hasPrefix("Stack 'scratch' (active)\n"))
        #expect(described.output.contains("Metadata store   sqlite, path \(project.path)/scratch/metadata.sqlite"))
        let listed = try await cairn("stack", "list", "--json")
        let rows = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
        #expect(rows?.map { $0["name"] as? String } == ["local", "team", "scratch", "elsewhere"])
        #expect(rows?.map { $0["active"] as? Bool } == [false, false, true, false])

        // Nothing has run on scratch yet: validating it says so, and creates nothing.
        let unused = try await cairn("stack", "validate")
        #expect(unused.status == 1)
        #expect(unused.output.contains("✗ metadata store  sqlite \(project.path)/scratch/metadata.sqlite\n      there is no store there yet"))
        #expect(!FileManager.default.fileExists(atPath: project.appending(path: "scratch").path))
        let password = try await cairn("stack", "validate", "team")
        #expect(password.output.contains("is read from $CAIRN_DB_PASSWORD, which is not set"))

        let deleted = try await cairn("stack", "delete", "scratch")
        #expect(deleted.status == 0, "\(deleted.error)")
        let after = try await cairn("stack", "describe")
        #expect(after.output.hasPrefix("Stack 'local' (active)\n"), "deleting the active stack makes local active again")
        let unknown = try await cairn("stack", "set", "taem")
        #expect(unknown.error == "Error: no stack named 'taem'; did you mean 'team'?\nSee the stacks with: cairn stack list\n")
    }
}
