import Cairn
import CairnFixturePipelines
import CairnTesting
import Foundation
import Testing

@Suite("Stacks: the stack file, the active stack, and opening a stack", .timeLimit(.minutes(1)))
struct StackTests {
    let folder = FileManager.default.temporaryDirectory.appending(path: "cairn-stacks-\(UUID().uuidString)")

    static let teamFile = """
        stacks:
          team:
            metadata_store:
              flavor: postgresql
              host: db.example.com
              database: cairn
              user: cairn
              password_env: CAIRN_DB_PASSWORD
              schema: churn
              tls: require
            artifact_store:
              flavor: local
              path: shared/artifacts
            orchestrator:
              flavor: subprocess
          laptop:
            metadata_store: { flavor: sqlite, path: ~/cairn/metadata.sqlite }
            artifact_store: { flavor: local, path: /data/artifacts }
        """

    @Test("a stack file describes each component; relative paths are relative to the file; it reads back as it was written")
    func readsAndWrites() throws {
        let file = try StackFile(yaml: Self.teamFile, path: "/project/cairn-stacks.yaml")
        #expect(file.stacks.map(\.name) == ["team", "laptop"])
        let team = try #require(file.stack(named: "team"))
        #expect(team.metadataStore == .postgresql(PostgreSQLConnection(
            host: "db.example.com", port: 5432, database: "cairn", user: "cairn", passwordVariable: "CAIRN_DB_PASSWORD", schema: "churn", tls: .require)))
        #expect(team.artifactStore == .local(path: "/project/shared/artifacts"))
        #expect(team.orchestrator == .subprocess(executable: nil))
        let laptop = try #require(file.stack(named: "laptop"))
        #expect(laptop.metadataStore == .sqlite(path: NSString(string: "~/cairn/metadata.sqlite").expandingTildeInPath))
        #expect(laptop.orchestrator == .inProcess)
        let again = try StackFile(yaml: file.yaml(), path: "/elsewhere/cairn-stacks.yaml")
        #expect(again.stacks == file.stacks)
    }

    @Test("mistakes in a stack file are errors at their file, line and column", arguments: [
        ("stacks:\n  team:\n    metadata_store: { flavor: postgres, host: h, database: d, user: u }\n    artifact_store: { flavor: local, path: a }\n",
         "s.yaml:3:23: unknown flavor 'postgres' for stacks.team.metadata_store; expected one of postgresql, sqlite; did you mean 'postgresql'?"),
        ("stacks:\n  team:\n    metadata_store:\n      flavor: postgresql\n      host: h\n      database: d\n      user: u\n      password: hunter2\n",
         "s.yaml:8:7: a password never goes in the stack file: name the environment variable that holds it with password_env"),
        ("stacks:\n  team:\n    metadata_store: { flavor: sqlite, pth: m.sqlite }\n",
         "s.yaml:3:39: unknown key 'pth' in stacks.team.metadata_store (flavor sqlite); did you mean 'path'? Known keys: flavor, path"),
        ("stacks:\n  team:\n    artifact_store: { flavor: local, path: a }\n", "s.yaml:2:3: stack 'team' has no metadata_store"),
        ("stacks:\n  local:\n    metadata_store: { flavor: sqlite, path: m }\n", "s.yaml:2:3: the stack 'local' is built in: give this stack another name"),
        ("stack:\n  team: {}\n", "s.yaml:1:1: unknown key 'stack' in the stack file; did you mean 'stacks'? Known keys: stacks"),
        ("stacks:\n  team:\n    metadata_store: { flavor: postgresql, host: h, port: none, database: d, user: u }\n",
         "s.yaml:3:52: wrong type for stacks.team.metadata_store.port: expected a whole number, found the text \"none\""),
    ])
    func mistakes(yaml: String, message: String) {
        #expect(throws: CairnError.self) { try StackFile(yaml: yaml, path: "s.yaml") }
        do {
            _ = try StackFile(yaml: yaml, path: "s.yaml")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test("the active stack is the one named, else $CAIRN_STACK, else the one `cairn stack set` chose, else local")
    func selection() throws {
        try FileManager.default.createDirectory(at: folder.appending(path: "home"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stacksFile = folder.appending(path: "cairn-stacks.yaml").path
        try Self.teamFile.write(toFile: stacksFile, atomically: true, encoding: .utf8)
        var environment = ["CAIRN_STACKS_FILE": stacksFile, "CAIRN_HOME": folder.appending(path: "home").path]
        #expect(try StackSelection.resolve(environment: environment) == .local(home: folder.appending(path: "home")))
        try "laptop\n".write(to: try StackSelection.activeStackFile(environment: environment), atomically: true, encoding: .utf8)
        #expect(try StackSelection.resolve(environment: environment).name == "laptop")
        environment["CAIRN_STACK"] = "team"
        #expect(try StackSelection.resolve(environment: environment).name == "team")
        #expect(try StackSelection.resolve(name: "local", environment: environment).name == "local")
        #expect(throws: CairnError.notFound(kind: "stack in \(stacksFile)", name: "taem", suggestion: "team")) {
            try StackSelection.resolve(name: "taem", environment: environment)
        }
        #expect(throws: CairnError.self) { try StackSelection.resolve(name: "team", store: "/tmp/elsewhere", environment: environment) }
        #expect(try StackSelection.resolve(store: "/tmp/elsewhere", environment: environment) == .local(home: URL(filePath: "/tmp/elsewhere")),
            "a folder named on the command line chooses the local stack over $CAIRN_STACK")
    }

    @Test("opening names the stack and the component that fails, and a stack that only reads creates nothing")
    func openingErrors() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = StackConfiguration(
            name: "absent", metadataStore: .sqlite(path: folder.appending(path: "metadata.sqlite").path),
            artifactStore: .local(path: folder.appending(path: "artifacts").path))
        await #expect(throws: CairnError.store(
            "stack 'absent': metadata store (sqlite, \(folder.path)/metadata.sqlite): there is no store there yet; a run on this stack creates it"
        )) {
            try await Stack.open(missing, creating: false)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path), "nothing was created")
        let team = try #require(try StackFile(yaml: Self.teamFile, path: "/project/cairn-stacks.yaml").stack(named: "team"))
        await #expect(throws: CairnError.store(
            "stack 'team': metadata store (postgresql, cairn@db.example.com:5432/cairn (schema churn)): "
                + "the password of cairn@db.example.com:5432/cairn (schema churn) is read from $CAIRN_DB_PASSWORD, which is not set"
        )) {
            try await Stack.open(team, environment: [:])
        }
    }

    @Test("validating a stack tries each component and says which works")
    func validation() async throws {
        let store = try TemporaryStore()
        defer { store.remove() }
        _ = try await FixturePipelines.diamond.run(on: store.stack)
        let working = try #require(store.stack.configuration)
        #expect(await Stack.validate(working).allSatisfy { $0.problem == nil })
        var broken = working
        broken.artifactStore = .local(path: store.home.appending(path: "nowhere").path)
        broken.orchestrator = .subprocess(executable: "/nonexistent/pipelines")
        let checks = await Stack.validate(broken)
        #expect(checks.map(\.component) == [.metadataStore, .artifactStore, .orchestrator])
        #expect(checks[0].problem == nil)
        #expect(checks[1].problem == "the folder does not exist; a run on this stack creates it")
        #expect(checks[2].problem == "/nonexistent/pipelines is not an executable file")
        #expect(!FileManager.default.fileExists(atPath: store.home.appending(path: "nowhere").path))
    }

    @Test("a pipeline executable runs on the stack it is told to use, and its step processes open the same stack from its description")
    func executableUsesTheStack() async throws {
        let elsewhere = try TemporaryStore()
        defer { elsewhere.remove() }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stacksFile = folder.appending(path: "cairn-stacks.yaml").path
        try """
            stacks:
              other:
                metadata_store: { flavor: sqlite, path: \(elsewhere.home.path)/metadata.sqlite }
                artifact_store: { flavor: local, path: \(elsewhere.home.path)/artifacts }
                orchestrator: { flavor: subprocess }
            """.write(toFile: stacksFile, atomically: true, encoding: .utf8)
        let (status, output) = try await FixtureExecutable.run(
            ["run", "diamond"], environment: ["CAIRN_STACKS_FILE": stacksFile, "CAIRN_STACK": "other", "CAIRN_HOME": folder.appending(path: "unused").path])
        #expect(status == 0, "\(output)")
        let run = try #require(try await elsewhere.stack.metadata.runs(RunQuery()).first)
        #expect(run.status == .completed)
        #expect(try await elsewhere.stack.metadata.stepRuns(runID: run.id).count == 7)
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: "unused").path), "the local stack was not touched")
    }
}
